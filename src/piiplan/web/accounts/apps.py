from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "piiplan.web.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và cơ quan"

    def ready(self):
        # Registers the environment checks (bad settings stop manage.py and the WSGI start-up).
        from piiplan.web import checks  # noqa: F401
