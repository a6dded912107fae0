from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "piiplan.web.ops"
    label = "ops"
    verbose_name = "Vận hành"
