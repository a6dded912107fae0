"""WSGI entry point (``gunicorn piiplan.web.wsgi``; ``manage.py runserver`` in the embedded mode).

WSGI servers do not run Django's system checks, so the environment checks are run here:
a bad setting stops the server at start-up with a clear message instead of failing later.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piiplan.web.settings")

application = get_wsgi_application()


def _check_environment() -> None:
    from django.core import checks

    from piiplan.web.checks import TAG

    errors = [m for m in checks.run_checks(tags=[TAG]) if m.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(f"{m.id}: {m.msg} {m.hint or ''}" for m in errors))


_check_environment()
