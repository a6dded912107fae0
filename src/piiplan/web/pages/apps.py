from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "piiplan.web.pages"
    label = "pages"
    verbose_name = "Trang"
