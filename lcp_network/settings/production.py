"""Deployment profile: DJANGO_SETTINGS_MODULE=lcp_network.settings.production.

Refuses to start without DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; no insecure fallback.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY")  # ImproperlyConfigured when missing
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")  # ImproperlyConfigured when missing

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# nginx serves private files once a view has checked access (README.md, "Files"): set it to
# an empty value only where no nginx stands in front (Django then streams the files itself).
PRIVATE_MEDIA_ACCEL_REDIRECT = env("PRIVATE_MEDIA_ACCEL_REDIRECT", default="/_private/")

# Security keys only over HTTPS (base.py allows plain HTTP for development).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load balancers probe /healthz over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True

TASKS = {
    "default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.backend.DatabaseBackend")}
}
if "console" in MAILERS["default"]["BACKEND"]:  # noqa: F405
    raise ImproperlyConfigured("Set EMAIL_HOST (and EMAIL_HOST_USER/PASSWORD) in production.")
