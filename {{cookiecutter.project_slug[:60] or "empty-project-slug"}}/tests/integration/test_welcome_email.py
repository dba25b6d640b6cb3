"""The welcome e-mail as the worker runs it: recorded when it fails, retried later
a bounded number of times, and sent once whatever happens."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from {{ cookiecutter.project_slug }}.users.models import User
from {{ cookiecutter.project_slug }}.users.tasks import (
    FIRST_RETRY_AFTER,
    WELCOME_ATTEMPTS,
    send_welcome_email,
)

from ..factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def refusing_mail_server(settings, unused_port: int) -> None:
    """A real SMTP connection to a port nobody listens on: sends fail for real."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": unused_port},
        }
    }


def test_a_failed_welcome_email_is_recorded_and_tried_again_later(
    refusing_mail_server, run_queued_tasks, caplog
):
    user = UserFactory.create(email="unlucky@example.com")
    send_welcome_email.enqueue(user_id=user.pk)

    with caplog.at_level(logging.ERROR, logger="django.tasks"):
        run_queued_tasks()

    assert User.objects.filter(pk=user.pk, welcomed_at=None).exists()  # it stays
    # Kept, with its traceback, for the admin's Task Results.
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.exception_class_path == "builtins.ConnectionRefusedError"
    [failure] = [record for record in caplog.records if record.name == "django.tasks"]
    assert "send_welcome_email" in failure.getMessage()
    assert isinstance(failure.exc_info[1], ConnectionRefusedError)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"user_id": user.pk, "attempt": 2}
    assert failed.finished_at is not None
    waited = retry.run_after - failed.finished_at
    assert waited >= FIRST_RETRY_AFTER - timedelta(seconds=1)


def test_the_last_attempt_that_fails_queues_no_other(
    refusing_mail_server, run_queued_tasks
):
    user = UserFactory.create()
    send_welcome_email.enqueue(user_id=user.pk, attempt=WELCOME_ATTEMPTS)

    run_queued_tasks()

    assert DBTaskResult.objects.get().status == "FAILED"


def test_each_retry_waits_twice_as_long_as_the_one_before(
    refusing_mail_server, run_queued_tasks
):
    user = UserFactory.create()
    send_welcome_email.enqueue(user_id=user.pk, attempt=3)

    before = timezone.now()
    run_queued_tasks()

    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after - before >= FIRST_RETRY_AFTER * 4


def test_a_second_welcome_task_for_one_account_sends_nothing(run_queued_tasks):
    user = UserFactory.create(email="once@example.com")
    send_welcome_email.enqueue(user_id=user.pk)
    send_welcome_email.enqueue(user_id=user.pk)

    run_queued_tasks()

    assert [message.to for message in mail.outbox] == [["once@example.com"]]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert User.objects.get(pk=user.pk).welcomed_at is not None


def test_a_task_left_running_by_a_killed_worker_sends_once_when_queued_again(
    run_queued_tasks,
):
    user = UserFactory.create(email="stranded@example.com")
    send_welcome_email.enqueue(user_id=user.pk)
    DBTaskResult.objects.update(status="RUNNING")  # its worker was killed
    run_queued_tasks()
    assert mail.outbox == []

    DBTaskResult.objects.running().update(status="READY")  # as the README says
    run_queued_tasks()
    run_queued_tasks()

    assert [message.to for message in mail.outbox] == [["stranded@example.com"]]
