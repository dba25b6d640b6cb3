"""The welcome e-mail as the worker runs it: retried later a bounded number of times
when refused, never lost when a worker dies, and sent once whatever happens."""

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


def test_a_refused_welcome_email_is_tried_again_later_without_failing_its_task(
    refusing_mail_server, run_queued_tasks, caplog
):
    user = UserFactory.create(email="unlucky@example.com")
    send_welcome_email.enqueue(user_id=user.pk)

    with caplog.at_level(logging.WARNING):
        run_queued_tasks()

    assert User.objects.filter(pk=user.pk, welcomed_at=None).exists()  # it stays
    # Only a task that gave up counts as failed (task_queue's failed=).
    first = DBTaskResult.objects.get(status="SUCCESSFUL")
    [refusal] = [record for record in caplog.records if "refused" in record.message]
    assert refusal.exc_info and isinstance(refusal.exc_info[1], ConnectionRefusedError)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"user_id": user.pk, "attempt": 2}
    assert first.finished_at is not None
    waited = retry.run_after - first.finished_at
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


def test_a_task_whose_worker_died_goes_back_to_the_queue_and_sends_once(
    settings, run_queued_tasks
):
    user = UserFactory.create(email="stranded@example.com")
    send_welcome_email.enqueue(user_id=user.pk)
    # Its worker claimed it and was killed before recording the send.
    started = timezone.now() - timedelta(seconds=settings.TASK_TIME_LIMIT + 1)
    DBTaskResult.objects.update(status="RUNNING", started_at=started)

    run_queued_tasks()  # the next worker to start takes it back

    assert [message.to for message in mail.outbox] == [["stranded@example.com"]]
    assert User.objects.get(pk=user.pk).welcomed_at is not None


def test_a_task_running_within_its_time_limit_is_left_to_its_worker(
    run_queued_tasks,
):
    user = UserFactory.create()
    send_welcome_email.enqueue(user_id=user.pk)
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())

    run_queued_tasks()

    assert mail.outbox == []
    assert DBTaskResult.objects.get().status == "RUNNING"


def test_a_welcome_email_sent_again_is_recognisably_the_same_message(
    run_queued_tasks,
):
    user = UserFactory.create()
    for _ in range(2):  # as when a worker dies between the send and its record
        send_welcome_email.enqueue(user_id=user.pk)
        run_queued_tasks()
        User.objects.filter(pk=user.pk).update(welcomed_at=None)

    first, second = (message.message()["Message-ID"] for message in mail.outbox)
    assert first == second and first.startswith(f"<welcome.{user.pk}@")
