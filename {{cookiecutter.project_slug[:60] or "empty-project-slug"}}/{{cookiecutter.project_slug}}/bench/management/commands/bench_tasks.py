"""Measure what the task worker takes off the request, against a real SMTP server
on loopback (aiosmtpd, a development dependency).

Prints one ``name=value`` line per figure: sign-up times while the mail server
takes ``--mail-delay`` seconds to accept a message, beside the password hash each
sign-up computes and one welcome e-mail sent inline through that server (what a
sign-up waited for before the worker); then welcome e-mails per second drained by
one worker (``db_worker --batch``) against the same e-mails sent inline. Every
account it makes is removed again at the end.
"""

import asyncio
import logging
import socket
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from {{ cookiecutter.project_slug }}.bench.command import BenchCommand
from {{ cookiecutter.project_slug }}.users.models import User
from {{ cookiecutter.project_slug }}.users.tasks import send_welcome_email

BENCH_DOMAIN = "bench-tasks.example.invalid"
HOST = "127.0.0.1"
PASSWORD = "bench-tasks-Pa55word"


class SlowMailServer:
    """Accepts every message after ``delay`` seconds, as a slow provider does."""

    def __init__(self, delay: float) -> None:
        self.delay = delay

    async def handle_DATA(
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        await asyncio.sleep(self.delay)
        return "250 Message accepted"


class Command(BenchCommand):
    help = __doc__.strip().splitlines()[0]
    option_defaults = {"signups": 20, "mail_delay": 2.0, "emails": 1000}

    def handle(
        self, *, signups: int, mail_delay: float, emails: int, **options: Any
    ) -> None:
        self.remove_bench_rows()
        try:
            with mail_server(mail_delay):
                times = self.signup_ms(signups)
                hash_seconds = seconds_taken(lambda: make_password(PASSWORD))
                self.report(
                    signup_ms_p50=statistics.median(times),
                    signup_ms_p95=statistics.quantiles(times, n=20)[-1],
                    password_hash_ms=1000 * hash_seconds,
                    inline_send_ms=self.inline_send_ms(),
                )
            self.remove_bench_rows()
            with mail_server(0):
                self.report(**self.drain(emails))
        finally:
            self.remove_bench_rows()

    def remove_bench_rows(self) -> None:
        users = User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}")
        ids = list(users.values_list("pk", flat=True))
        DBTaskResult.objects.filter(
            task_path=send_welcome_email.module_path,
            args_kwargs__kwargs__user_id__in=ids,
        ).delete()
        users.delete()

    def signup_ms(self, count: int) -> list[float]:
        """Each sign-up's time through the real view, which queues the e-mail; each
        from an address of its own, as visitors are, so none is throttled."""
        times = []
        for number in range(count):
            client = Client()
            form = {
                "email": f"signup{number}@{BENCH_DOMAIN}",
                "password1": PASSWORD,
                "password2": PASSWORD,
            }
            started = time.perf_counter()
            address = f"10.0.{number // 256 % 256}.{number % 256}"
            response = client.post(
                reverse("signup"), form, HTTP_HOST=HOST, REMOTE_ADDR=address
            )
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, response.status_code
        return times

    def inline_send_ms(self) -> float:
        user = User.objects.create_user(f"inline@{BENCH_DOMAIN}")
        return 1000 * seconds_taken(lambda: send_welcome_email.call(user_id=user.pk))

    def drain(self, count: int) -> dict:
        """``count`` welcome e-mails run by one worker from the queue, then the same
        e-mails sent inline; both through a mail server that answers at once."""
        users = User.objects.bulk_create(
            User(email=f"drain{number}@{BENCH_DOMAIN}") for number in range(count)
        )
        ids = [user.pk for user in users]
        for user_id in ids:
            send_welcome_email.enqueue(user_id=user_id)
        worker_s = seconds_taken(
            lambda: call_command(
                "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0
            )
        )
        sent = User.objects.filter(pk__in=ids).exclude(welcomed_at=None).count()
        assert sent == count, (sent, count)
        User.objects.filter(pk__in=ids).update(welcomed_at=None)
        inline_s = seconds_taken(
            lambda: [send_welcome_email.call(user_id=user_id) for user_id in ids]
        )
        return {
            "tasks_per_s": count / worker_s,
            "inline_per_s": count / inline_s,
            "worker_to_inline_ratio": inline_s / worker_s,
        }


def seconds_taken(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


@contextmanager
def mail_server(delay: float) -> Iterator[None]:
    """The slow SMTP server on a free loopback port, and the project's mail sent
    through it, for the duration of a ``with``."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    controller = Controller(SlowMailServer(delay), hostname=HOST, port=port)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per command
    mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": HOST, "port": port, "timeout": 30},
    }
    controller.start()
    try:
        with override_settings(MAILERS={"default": mailer}):
            yield
    finally:
        controller.stop()
