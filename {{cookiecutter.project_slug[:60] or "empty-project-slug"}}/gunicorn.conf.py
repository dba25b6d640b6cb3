"""gunicorn in production: where it differs from gunicorn's defaults, and why.

gunicorn reads this file from the working directory; WEB_CONCURRENCY sets the
number of workers and GUNICORN_CMD_ARGS overrides anything here.
"""

import environ

from config.logs import logging_config

env = environ.Env()
wsgi_app = "config.wsgi"
port = env("PORT", default="8000")
bind = f"0.0.0.0:{port}"
# Logs go to the console, where containers and process managers collect them: a
# line per request too, in the project's format (JSON lines, as in production).
accesslog = "-"
logconfig_dict = logging_config(
    json=env.bool("DJANGO_LOG_JSON", default=True),
    level=env("DJANGO_LOG_LEVEL", default="INFO"),
)
# A worker stuck this long is killed rather than left to hold up requests.
timeout = 30
# Keep connections from the proxy in front open between requests.
keepalive = 5
# Recycle workers now and then, so a slow leak cannot grow without bound.
max_requests = 1000
max_requests_jitter = 100
# Load Django once in the master and fork the workers from it: they start (and
# restart after max_requests) without importing it again, and share its memory.
# Nothing connects at import time; each worker opens its own connections.
preload_app = True
