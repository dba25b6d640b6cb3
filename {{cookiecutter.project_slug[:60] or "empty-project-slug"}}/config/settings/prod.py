"""Production: every secret, host and service from the environment, secure by default."""

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.logs import logging_config

from .base import *  # noqa: F403
from .base import LOG_LEVEL, env

# Refuse to start rather than fall back to a development default.
REQUIRED = [
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_ADMIN_URL",
{%- if cookiecutter.database == "postgresql" %}
    "DATABASE_URL",
{%- endif %}
{%- if cookiecutter.cache_backend == "redis" %}
    "REDIS_URL",
{%- elif cookiecutter.cache_backend == "memcached" %}
    "MEMCACHED_URL",
{%- endif %}
]
missing = [name for name in REQUIRED if not env.str(name, default="")]
if missing:
    raise ImproperlyConfigured(
        "\n".join(
            f"{name} is not set: production settings need it in the environment."
            for name in missing
        )
    )

SECRET_KEY = env("DJANGO_SECRET_KEY")
# The rule of Django's deploy check (security.W009), enforced at start: a
# placeholder such as .env.example's would let anyone forge sessions and reset links.
if (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    or SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX)
):
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY has {len(SECRET_KEY)} characters, "
        f"{len(set(SECRET_KEY))} of them different: production needs at least "
        f"{SECRET_KEY_MIN_LENGTH}, {SECRET_KEY_MIN_UNIQUE_CHARACTERS} of them "
        f"different, not starting with {SECRET_KEY_INSECURE_PREFIX!r}. Generate "
        "one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ADMIN_URL = env("DJANGO_ADMIN_URL")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DEBUG = False

# Plain HTTP is redirected to HTTPS. Health probes, which speak plain HTTP to the
# container, are answered before this (core/middleware.py).
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    # The proxy terminates TLS and says so in X-Forwarded-Proto (it must also
    # overwrite any such header a client sent); without this every request
    # looks like plain HTTP and is redirected again, for ever.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Login and sign-up limits count the client, not the proxy: each proxy in
    # front appends the address it saw to X-Forwarded-For, so the client's is
    # this many entries from the end (2 for a CDN before a load balancer).
    TRUSTED_PROXIES = env.int("DJANGO_TRUSTED_PROXIES", default=1)
    if TRUSTED_PROXIES < 1:
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES={TRUSTED_PROXIES}: behind a TLS proxy it counts "
            "the proxies that append to X-Forwarded-For, at least 1."
        )
# HSTS makes browsers refuse plain HTTP to this domain and its subdomains for
# this long. It starts at an hour, so a mistake is undone within the hour; raise
# it in steps once HTTPS works everywhere (a day, a week, a month, then a year,
# 31536000, which preload lists require).
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Only this site's own scripts, styles, images and forms; no plugins, no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# One JSON object per line, each carrying its request's id, for the log collector.
LOG_JSON = env.bool("DJANGO_LOG_JSON", default=True)
LOGGING = logging_config(json=LOG_JSON, level=LOG_LEVEL)

# Errors reach Sentry when a DSN is set; without one the SDK is not even imported.
# The SDK's defaults send no personal data: no user e-mail addresses, no IPs.
# (Its send_default_pii option is deprecated; data_collection now opts in to more.)
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
