"""django-tasks-db's ``db_worker``, which also puts back in the queue the tasks
that a dead worker left running (core/abandoned_tasks.py): once as it starts, then
every minute while it runs. It replaces the package's own command because this
app comes first in ``INSTALLED_APPS``."""

import threading
from typing import Any

from django_tasks_db.management.commands import db_worker

from ...abandoned_tasks import (
    keep_requeueing_abandoned_tasks,
    requeue_abandoned_tasks,
)


class Command(db_worker.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        requeue_abandoned_tasks()
        if not options["batch"]:
            threading.Thread(
                target=keep_requeueing_abandoned_tasks,
                name="requeue-abandoned-tasks",
                daemon=True,
            ).start()
        super().handle(*args, **options)
