"""Serving the example app for ``manage.py bench``: development settings with
debug off, so that query logging and error pages do not skew the figures."""

import os

from config.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Static files from the apps, without a collectstatic first.
WHITENOISE_AUTOREFRESH = True
# Set by the benchmark for its uncached run.
if os.environ.get("BENCH_UNCACHED"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
