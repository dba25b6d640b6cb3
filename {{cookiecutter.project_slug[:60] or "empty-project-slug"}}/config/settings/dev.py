"""Local development: debug on, e-mail printed to the console, the benchmarks, and
django-debug-toolbar when it is installed (the dev dependency group has it)."""

from importlib.util import find_spec

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-local-development-only")
# E-mail is printed to the console. To see it as a mail client shows it, run a mail
# catcher (README) and set DJANGO_EMAIL_CONSOLE=false: mail then goes to EMAIL_HOST
# and EMAIL_PORT.
if env.bool("DJANGO_EMAIL_CONSOLE", default=True):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# The benchmarks (manage.py bench_tasks and the like) are development tools:
# production neither installs them nor ships them (.dockerignore).
INSTALLED_APPS = [*INSTALLED_APPS, "{{ cookiecutter.project_slug }}.bench"]

# Each page's SQL queries, cache calls and templates, in a panel on the page, for
# requests from this machine. Tests and production never load it.
if DEBUG and find_spec("debug_toolbar"):
    INSTALLED_APPS = [*INSTALLED_APPS, "debug_toolbar"]
    MIDDLEWARE = ["debug_toolbar.middleware.DebugToolbarMiddleware", *MIDDLEWARE]
    INTERNAL_IPS = ["127.0.0.1"]
