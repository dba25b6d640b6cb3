"""One log format for every process: Django's, the task worker's and gunicorn's.

structlog renders each record, Django's and the libraries' alike: as one JSON object
per line in production, where log collectors parse them, and as plain text in
development. A record logged while a request is served carries that request's id
(``core.middleware.RequestIdMiddleware`` binds it).
"""

from typing import Any

import structlog

# Applied to every record from the standard library's logging.
FIELDS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def logging_config(*, json: bool, level: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for Django's LOGGING and gunicorn's
    logconfig_dict."""
    if json:
        render = [
            structlog.processors.dict_tracebacks,
            structlog.processors.JSONRenderer(),
        ]
    else:
        render = [structlog.dev.ConsoleRenderer(colors=False)]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": FIELDS,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    *render,
                ],
            },
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "structured"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's and gunicorn's loggers print through the root handler alone:
            # with handlers of their own as well, each line would print twice.
            name: {"handlers": [], "propagate": True}
            for name in ("django", "gunicorn.error", "gunicorn.access")
        },
    }
