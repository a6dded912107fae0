"""Project URLs. Every view behind them decides access through accounts/access.py.

Apps added by later issues (``OPTIONAL_APPS`` in settings) are mounted once their package
is installed; each one's ``urls.py`` sets ``app_name`` so URL names carry the app prefix.
"""

from importlib.util import find_spec

from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("piiplan.web.pages.urls")),
    path("tai-khoan/", include("piiplan.web.accounts.urls")),
    path("nhat-ky/", include("piiplan.web.audit.urls")),
    path("tai-lieu/", include("piiplan.web.ops.urls")),
]

# Where each optional app is mounted (its URL prefix).
OPTIONAL_URLS = {
    "piiplan.web.indexdata": "du-lieu/",
    "piiplan.web.plan": "ke-hoach/",
}
for _app, _prefix in OPTIONAL_URLS.items():
    if _app in settings.INSTALLED_APPS and find_spec(f"{_app}.urls") is not None:
        urlpatterns.append(path(_prefix, include(f"{_app}.urls")))

handler400 = "piiplan.web.errors.bad_request"
handler403 = "django.views.defaults.permission_denied"
handler404 = "django.views.defaults.page_not_found"
handler500 = "django.views.defaults.server_error"
