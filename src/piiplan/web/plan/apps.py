from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "piiplan.web.plan"
    label = "plan"
    verbose_name = "Kế hoạch PII"
