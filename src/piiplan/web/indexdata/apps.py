from django.apps import AppConfig


class IndexdataConfig(AppConfig):
    name = "piiplan.web.indexdata"
    label = "indexdata"
    verbose_name = "Dữ liệu chỉ số và kịch bản"
    default_auto_field = "django.db.models.BigAutoField"
