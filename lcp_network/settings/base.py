"""Settings for the LCP network portal, read from the environment (django-environ).

Development defaults: DEBUG on, SQLite under ``var/``, e-mails printed to the console.
See ``production.py`` for the deployment profile and README.md for every variable.
"""

from pathlib import Path

import bootstrap_wrapper
import environ
import xstatic.pkg.leaflet
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Development only: production.py requires DJANGO_SECRET_KEY and never falls back on this.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

SITE_ID = 1
# Absolute address of the portal, used for links in e-mails (e.g. https://lcp.example).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
SITE_NAME = env("SITE_NAME", default="Réseau des lieux collectifs de proximité")

INSTALLED_APPS = [
    "members.apps.CoordinationAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "charter",
    "members",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The database does not answer: the site's own 503 page (core/outage.py).
    "core.outage.DatabaseUnavailableMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Coordinators reach /admin/ only with a second factor set up (after AccountMiddleware).
    "core.second_factor.RequireSecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "lcp_network.urls"
WSGI_APPLICATION = "lcp_network.wsgi.application"
ASGI_APPLICATION = "lcp_network.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes (the load test and the worker).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database host that drops packets must not hang requests (and /healthz) for minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
# Form fields through Jinja2 (core/renderers.py): the same HTML, rendered faster.
FORM_RENDERER = "core.renderers.FormRenderer"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Without Redis, the database is the cache every web process shares (the public pages'
    # generation must be the same in all of them): ``manage.py createcachetable`` creates it.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lcp_cache",
        }
    }
# Rendered public pages, kept in each process's memory (see core/cache.py).
CACHES["public_pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "public-pages",
    "OPTIONS": {"MAX_ENTRIES": 500},
}

# Public pages are cached for anonymous visitors and invalidated on every change (core/cache.py).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=300)

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2 first: memory-hard, Django's recommended hasher, and about half the CPU time of
# PBKDF2's 1.2 million iterations for a stronger hash (a login is the costliest request under
# load: bench/load.py). Existing PBKDF2 hashes still verify and are upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:dashboard"

# django-allauth: the e-mail address is the login, and it must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so that nobody switches them off by accident; sign-ups (each
    # sends an e-mail) also at most 50 a day from one address.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip,50/d/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[LCP] "
ACCOUNT_FORMS = {"signup": "members.forms.accounts.SignupForm"}

# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) with recovery codes, and
# security keys (WebAuthn) where the browser supports them. Required for coordinators (staff)
# before they reach the admin (core/second_factor.py); members may turn it on.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Réseau LCP"
MFA_PASSKEY_LOGIN_ENABLED = False
# WebAuthn needs HTTPS; in development the portal runs on http://127.0.0.1.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap 5.3 CSS and JS, shipped by the bootstrap-wrapper package (no CDN).
    ("bootstrap", bootstrap_wrapper.get_bootstrap_dir()),
    # Leaflet 1.9 for the directory maps, shipped by the xstatic-leaflet package (no CDN).
    ("leaflet", xstatic.pkg.leaflet.BASE_DIR),
]
# Public media (logos) under MEDIA_URL; private files (evidence, board minutes) in their own
# root, outside MEDIA_ROOT and with no URL: only views that check access serve them
# (core/storage.py). In production, nginx sends them after an X-Accel-Redirect to this internal
# location (README.md, "Files"); empty: Django streams them itself.
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
PRIVATE_MEDIA_ACCEL_REDIRECT = env("PRIVATE_MEDIA_ACCEL_REDIRECT", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "core.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    # Media on S3-compatible storage (needs django-storages[s3]): web servers share nothing on disk.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    # Private files: a bucket (or at least a prefix) with no public read policy, private ACLs,
    # read by Django with its own credentials and streamed by the checked views.
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env(
                "AWS_PRIVATE_STORAGE_BUCKET_NAME", default=env("AWS_STORAGE_BUCKET_NAME")
            ),
            "location": env("AWS_PRIVATE_LOCATION", default="private"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# E-mail (Django 6.1 MAILERS): printed to the console in development; SMTP when EMAIL_HOST is set.
if env("EMAIL_HOST", default=""):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": env.int("EMAIL_PORT", default=587),
                "username": env("EMAIL_HOST_USER", default=""),
                "password": env("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env.bool("EMAIL_USE_TLS", default=True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Réseau LCP <noreply@lcp.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where "new application" notices go, besides staff users with an e-mail.
COORDINATORS_EMAIL = env.list("COORDINATORS_EMAIL", default=[])

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Background jobs: django.tasks; the database backend (django-tasks-db) in production,
# run by `manage.py db_worker`. Development and tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django.tasks.backends.immediate.ImmediateBackend")
    }
}

# Map tiles for the directory map (Leaflet); any XYZ tile server.
MAP_TILES_URL = env("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env(
    "MAP_TILES_ATTRIBUTION",
    default="© contributeurs OpenStreetMap",
)
_tiles_origin = "/".join(MAP_TILES_URL.split("/")[:3]).replace("{s}.", "")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", _tiles_origin, _tiles_origin.replace("://", "://*.")],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# The read-only JSON API, /api/v1/ (members/api/): Django REST framework, anonymous and JSON
# only (no browsable API, no session: nothing to forge), errors as RFC 9457 problem details,
# throttled per client address (API_RATE_LIMIT, e.g. "120/min"; behind a proxy, set
# API_TRUSTED_PROXIES to the number of proxies that append to X-Forwarded-For).
API_RATE_LIMIT = env("API_RATE_LIMIT", default="120/min")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["members.api.throttling.PerAddressThrottle"],
    "NUM_PROXIES": env.int("API_TRUSTED_PROXIES", default=None),
    "DEFAULT_PAGINATION_CLASS": "members.api.pagination.Cursor",
    "EXCEPTION_HANDLER": "members.api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API du réseau des lieux collectifs de proximité",
    "DESCRIPTION": (
        "Lecture seule, JSON, sans authentification. Licence Ouverte 2.0 (Etalab). "
        "Read-only JSON, no authentication, Licence Ouverte 2.0 (Etalab)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": False,
    "ENUM_NAME_OVERRIDES": {},
    "LICENSE": {
        "name": "Licence Ouverte 2.0 (etalab-2.0)",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
