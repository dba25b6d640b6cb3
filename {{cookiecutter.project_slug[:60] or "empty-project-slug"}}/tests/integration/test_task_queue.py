import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from {{ cookiecutter.project_slug }}.users.tasks import send_welcome_email

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def task_queue_figures() -> dict[str, int]:
    output = io.StringIO()
    call_command("task_queue", stdout=output)
    return {
        name: int(value)
        for name, value in (pair.split("=") for pair in output.getvalue().split())
    }


def test_the_task_queue_shows_what_waits_and_how_long_the_oldest_has():
    user = UserFactory.create()
    send_welcome_email.enqueue(user_id=user.pk)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=5))
    later = timezone.now() + timedelta(hours=1)
    send_welcome_email.using(run_after=later).enqueue(user_id=user.pk, attempt=2)

    figures = task_queue_figures()

    assert figures["waiting"] == 1
    assert 300 <= figures["oldest_waiting_s"] < 330
    assert figures["scheduled"] == 1
    assert figures["running"] == figures["failed"] == 0


def test_an_empty_task_queue_shows_nothing_waiting():
    assert task_queue_figures() == {
        "waiting": 0,
        "oldest_waiting_s": 0,
        "running": 0,
        "scheduled": 0,
        "failed": 0,
    }
