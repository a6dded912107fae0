from django.apps import AppConfig


class IndexdataConfig(AppConfig):
    name = "piiplan.web.indexdata"
    label = "indexdata"
    verbose_name = "Dữ liệu chỉ số và kịch bản"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings

        from piiplan import upload_limits

        # The import limits of the readers (engine, reports, appendix) come from the settings.
        upload_limits.configure(
            max_uncompressed=getattr(settings, "PIIPLAN_XLSX_MAX_UNCOMPRESSED_BYTES", None),
            max_rows=getattr(settings, "PIIPLAN_IMPORT_MAX_ROWS", None),
            max_columns=getattr(settings, "PIIPLAN_IMPORT_MAX_COLUMNS", None),
            max_problems=getattr(settings, "PIIPLAN_IMPORT_MAX_PROBLEMS", None),
        )
