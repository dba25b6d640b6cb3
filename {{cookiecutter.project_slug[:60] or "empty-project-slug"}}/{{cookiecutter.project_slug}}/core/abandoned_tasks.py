"""Tasks a dead worker left running go back to the queue by themselves.

A worker killed outright (SIGKILL, out of memory, a lost machine) cannot mark its
task finished, and django-tasks-db leaves such a task running for ever. Every task
here finishes well within ``TASK_TIME_LIMIT`` (an SMTP send gives up after 10 s),
so one still running that long after it started has lost its worker: it is put
back in the queue and runs again from the start. Tasks must therefore be safe to
repeat, as the e-mail tasks are: they record a send only after it.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# How often each worker looks for abandoned tasks while it runs.
CHECK_EVERY_SECONDS = 60


def requeue_abandoned_tasks() -> int:
    """Put back in the queue the tasks still running ``TASK_TIME_LIMIT`` seconds
    after they started; return how many."""
    started_before = timezone.now() - timedelta(seconds=settings.TASK_TIME_LIMIT)
    requeued = (
        DBTaskResult.objects.running()
        .filter(started_at__lt=started_before)
        .update(status=TaskResultStatus.READY, started_at=None)
    )
    if requeued:
        logger.warning(
            "Requeued %d task(s) running for over %d s: their worker died.",
            requeued,
            settings.TASK_TIME_LIMIT,
        )
    return requeued


def keep_requeueing_abandoned_tasks() -> None:
    """Look every ``CHECK_EVERY_SECONDS``, for as long as the process lives."""
    while True:
        time.sleep(CHECK_EVERY_SECONDS)
        try:
            requeue_abandoned_tasks()
        except DatabaseError:  # the database is away: look again next time
            logger.exception("Could not look for abandoned tasks.")
        finally:
            connections.close_all()
