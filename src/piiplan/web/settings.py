"""Django settings for the piiplan workspace, read from environment variables.

Every value has a safe default for a developer's machine; ``PIIPLAN_ENV=production`` switches
the defaults to what ``manage.py check --deploy`` expects. Bad values are reported by the
system checks in ``piiplan.web.checks`` (see docs/deployment.md for the full list).
"""

from __future__ import annotations

import secrets
import warnings
from importlib.util import find_spec
from pathlib import Path

from piiplan.web.env import (
    PROBLEMS,
    EnvProblem,
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent
# In an editable install (the normal case) this is the repository root.
PROJECT_DIR = PACKAGE_DIR.parents[2]

PIIPLAN_ENV = env_choice("PIIPLAN_ENV", "development", ("development", "production"))
PRODUCTION = PIIPLAN_ENV == "production"

VAR_DIR = Path(env_str("PIIPLAN_VAR_DIR", str(PROJECT_DIR / "var")))

# Off unless the developer asks for it (DEBUG=1): the embedded mode (scripts/run.sh) is what agencies
# use, and Django's debug 404 page would show them the URL list in English. Static files are served
# by WhiteNoise either way, and 400/403/404/500 use the Vietnamese templates of the pages app.
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        # Checked in piiplan.web.checks: production refuses to start without SECRET_KEY.
        return ""
    # Development: one random key per checkout, kept under var/ so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    try:
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = "dev-" + secrets.token_urlsafe(48)
        path.write_text(key, encoding="utf-8")
        return key
    except OSError:
        return "dev-" + secrets.token_urlsafe(48)


SECRET_KEY = _secret_key() or "unset-" + secrets.token_urlsafe(48)
SECRET_KEY_MISSING = PRODUCTION and not env_str("SECRET_KEY", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- Applications ---------------------------------------------------------------------------
# Apps built by later issues are added once their package exists, so the project keeps
# starting while they are being written (indexdata: datasets and scenarios; plan: the plan).
OPTIONAL_APPS = ["piiplan.web.indexdata", "piiplan.web.plan"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "piiplan.web.accounts",
    "piiplan.web.audit",
    "piiplan.web.pages",
    "piiplan.web.ops",
] + [app for app in OPTIONAL_APPS if find_spec(app) is not None] + [
    # Background jobs (issue 10): django-tasks with its database backend; `manage.py db_worker` runs them.
    "django_tasks",
    "django_tasks_db",
]

TASKS = {"default": {"BACKEND": env_str("TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are served by the app itself (offices are often offline: no CDN, no
    # separate web server needed). WhiteNoise adds caching headers and compression.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL character in a query or form value → 400 (PostgreSQL refuses it in text fields).
    "piiplan.web.errors.ControlCharacterMiddleware",
    # A temporary password set by the administrator must be changed first (accounts/middleware.py).
    "piiplan.web.accounts.middleware.ForcePasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Engine input errors (a value out of range in a what-if) → 400 with the Vietnamese message.
    "piiplan.web.errors.InputErrorMiddleware",
]

ROOT_URLCONF = "piiplan.web.urls"
WSGI_APPLICATION = "piiplan.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "piiplan.web.pages.context.workspace",
            ] + (["piiplan.web.plan.context.notices"] if "piiplan.web.plan" in INSTALLED_APPS else []),
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {"default": env_database("DATABASE_URL", str(VAR_DIR / "piiplan.sqlite3"))}
# Connections fit the server model: Django's development server runs one thread per request, so a
# persistent connection per thread would exhaust PostgreSQL's clients; the default is one connection
# per request. scripts/serve.sh sets 60 s under gunicorn (sync workers: one connection per process).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("PIIPLAN_CONN_MAX_AGE", 0, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
# After sign-in each role lands on its pending work (plan app), or on the home page without it.
LOGIN_REDIRECT_URL = "plan:my_work" if "piiplan.web.plan" in INSTALLED_APPS else "pages:home"
LOGOUT_REDIRECT_URL = "pages:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Vietnamese messages; the common list includes piiplan/data/accounts/common-passwords-vi.txt and the demo password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "piiplan.web.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "piiplan.web.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "piiplan.web.accounts.validators.CommonPasswordValidator"},
    {"NAME": "piiplan.web.accounts.validators.NumericPasswordValidator"},
]

# Login rate-limiting (piiplan.web.accounts.ratelimit): failures per username+IP in a window.
LOGIN_MAX_FAILURES = env_int("PIIPLAN_LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("PIIPLAN_LOGIN_WINDOW_SECONDS", 15 * 60, minimum=1)
# Failures from one address across all usernames (password spraying) ...
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("PIIPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS", 30, minimum=1)
# ... and for one username from addresses it never signed in from (a distributed attack; its usual
# addresses are never blocked by this one, so an attacker cannot lock the real user out).
LOGIN_MAX_FAILURES_PER_USERNAME = env_int("PIIPLAN_LOGIN_MAX_FAILURES_PER_USERNAME", 100, minimum=1)
# Reverse proxies whose X-Forwarded-For is believed (piiplan.web.client_address); empty: none.
PIIPLAN_TRUSTED_PROXIES = env_list("PIIPLAN_TRUSTED_PROXIES", [])

SESSION_COOKIE_AGE = env_int("PIIPLAN_SESSION_HOURS", 12, minimum=1) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Language, time, numbers ------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# vi-VN: 65,68 and 25/06/2026 (overrides Django's long Vietnamese date format).
FORMAT_MODULE_PATH = ["piiplan.web.formats"]
# Thousands grouping is applied explicitly by the |so filter (pages/templatetags/vi.py):
# turning it on globally would print years as "2.026".
USE_THOUSAND_SEPARATOR = False

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# Serve straight from the apps' static folders: no collectstatic step is needed to run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# STATIC_ROOT exists only after collectstatic, which is not needed: silence WhiteNoise's warning.
warnings.filterwarnings("ignore", message="No directory at: ")

MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served publicly: evidence files go through permission-checked views
PIIPLAN_UPLOAD_MAX_BYTES = env_int("PIIPLAN_UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = PIIPLAN_UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640
# Imports (docs/deployment.md, "Giới hạn tệp nhập"): size per upload path, then limits checked before parsing.
PIIPLAN_TEMPLATE_UPLOAD_MAX_BYTES = env_int("PIIPLAN_TEMPLATE_UPLOAD_MAX_MB", 5, minimum=1) * 1024 * 1024
PIIPLAN_APPENDIX_UPLOAD_MAX_BYTES = env_int("PIIPLAN_APPENDIX_UPLOAD_MAX_MB", 5, minimum=1) * 1024 * 1024
PIIPLAN_XLSX_MAX_UNCOMPRESSED_BYTES = env_int("PIIPLAN_XLSX_MAX_UNCOMPRESSED_MB", 64, minimum=1) * 1024 * 1024
PIIPLAN_IMPORT_MAX_ROWS = env_int("PIIPLAN_IMPORT_MAX_ROWS", 200_000, minimum=100)
PIIPLAN_IMPORT_MAX_COLUMNS = env_int("PIIPLAN_IMPORT_MAX_COLUMNS", 1_000, minimum=10)
PIIPLAN_IMPORT_MAX_PROBLEMS = env_int("PIIPLAN_IMPORT_MAX_PROBLEMS", 200, minimum=10)

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 30
# No SMTP host configured: messages are printed on the console (development, demo).
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "piiplan <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- The province this workspace serves -------------------------------------------------------
PIIPLAN_PROVINCE = env_str("PIIPLAN_PROVINCE", "Lạng Sơn")
# The issuing body, signer and number symbol of documents are data, not settings: the DoST admin edits
# them in the workspace (plan.IssuingOrganisation); defaults come from the province file.
# The plan's target when the plan app does not give one: places to gain in the PII ranking.
PIIPLAN_TARGET_RANK_GAIN = env_int("PIIPLAN_TARGET_RANK_GAIN", 4, minimum=0)
# Agency data entry: a value that changed more than this (per cent) from last year's gets a warning.
PIIPLAN_PLAUSIBLE_CHANGE_PERCENT = env_int("PIIPLAN_PLAUSIBLE_CHANGE_PERCENT", 50, minimum=1)

# --- Security ---------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
if env_bool("PIIPLAN_BEHIND_PROXY", False):
    # Behind a TLS-terminating reverse proxy (nginx, Caddy) that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if PRODUCTION and not ALLOWED_HOSTS:
    PROBLEMS.append(
        EnvProblem("ALLOWED_HOSTS", "", "ALLOWED_HOSTS phải được đặt khi PIIPLAN_ENV=production.")
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
}

# Snapshot for the system checks (piiplan.web.checks).
ENV_PROBLEMS = list(PROBLEMS)
