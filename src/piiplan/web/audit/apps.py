from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "piiplan.web.audit"
    label = "audit"
    verbose_name = "Nhật ký hệ thống"
