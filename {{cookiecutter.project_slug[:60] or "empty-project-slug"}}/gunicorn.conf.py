"""gunicorn in production: where it differs from gunicorn's defaults, and why.

gunicorn reads this file from the working directory; WEB_CONCURRENCY sets the
number of workers and GUNICORN_CMD_ARGS overrides anything here.
"""

import os

wsgi_app = "config.wsgi"
port = os.environ.get("PORT", "8000")
bind = f"0.0.0.0:{port}"
# Logs go to the console, where containers and process managers collect them.
accesslog = "-"
# A worker stuck this long is killed rather than left to hold up requests.
timeout = 30
# Keep connections from the proxy in front open between requests.
keepalive = 5
# Recycle workers now and then, so a slow leak cannot grow without bound.
max_requests = 1000
max_requests_jitter = 100
