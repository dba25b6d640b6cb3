"""Test runs: fast password hashing, e-mail kept in ``mail.outbox``."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-used-anywhere-else"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Serve static files from the apps without a collectstatic first.
WHITENOISE_AUTOREFRESH = True
{%- if cookiecutter.database == "postgresql" %}
# Reads go to the primary, so a test reads what it has just written without
# waiting for replication. The tests of replicas route reads to
# DATABASE_REPLICA_URL's replica for themselves.
DATABASE_REPLICAS = []
{%- endif %}
