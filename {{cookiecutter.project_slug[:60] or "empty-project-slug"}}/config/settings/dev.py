"""Local development: debug on, e-mail printed to the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-local-development-only")
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
