"""The worker as production runs it: `db_worker`, a process of its own, takes what a
sign-up queued from the database and sends it through a real SMTP server; told to
stop mid-task, it finishes the task first.

One worker process serves the whole check: starting Django in a process costs
about a second, so the test asks everything of the one it starts."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def worker_settings(database: dict, mail_port: int) -> str:
    """A settings module for the worker: the test settings, with the test database
    this process uses and the SMTP server of the test."""
    mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": mail_port, "timeout": 10},
    }
    return (
        "from config.settings.test import *  # noqa: F403\n\n"
        f"DATABASES = {dict(default=database)!r}\n"
        f"MAILERS = {dict(default=mailer)!r}\n"
    )


class MailServer:
    """An SMTP server that keeps what it receives. It answers a message only once
    ``answering`` is set, as a slow mail provider answers when it gets to it."""

    def __init__(self) -> None:
        self.answering = threading.Event()
        self.receiving = threading.Event()
        self.received: list[str] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.receiving.set()
        await asyncio.get_running_loop().run_in_executor(None, self.answering.wait)
        self.received.append(envelope.content.decode())
        return "250 Message accepted"


@pytest.fixture
def mail_server(unused_port: int) -> Iterator[tuple[MailServer, int]]:
    server, port = MailServer(), unused_port
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    yield server, port
    server.answering.set()
    controller.stop()


class Worker:
    """A `db_worker` process and the log lines it has written so far."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            command, env=env, stderr=subprocess.PIPE, text=True
        )
        self.log: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line)

    def logged(self, text: str) -> bool:
        return any(text in line for line in self.log)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self._reader.join()  # it has read to the end of the pipe
        assert self.process.stderr is not None
        self.process.stderr.close()


@pytest.fixture
def start_worker(
    mail_server: tuple[MailServer, int], tmp_path: Path
) -> Iterator[Callable[[], Worker]]:
    """Start `db_worker` on the test database, sending mail to ``mail_server``."""
    database = {
        key: str(value) if key == "NAME" else value
        for key, value in connection.settings_dict.items()
        if key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")
    }
    (tmp_path / "worker_settings.py").write_text(
        worker_settings(database, mail_port=mail_server[1])
    )
    workers: list[Worker] = []

    def start() -> Worker:
        command = [sys.executable, "-m", "django", "db_worker", "--no-reload"]
        command += ["--no-startup-delay", "--interval", "0.1"]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "worker_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
        }
        workers.append(Worker(command, env))
        return workers[-1]

    yield start
    for worker in workers:
        worker.stop()


def wait_until(condition: Callable[[], object], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def sign_up(client, email: str) -> None:
    form = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    assert client.post(reverse("signup"), form).status_code == 302


def test_the_worker_process_sends_the_welcome_email_and_finishes_it_on_sigterm(
    client, mail_server, start_worker
):
    server, _ = mail_server
    sign_up(client, "welcome@example.com")
    assert server.received == []  # the request only queued it
    worker = start_worker()
    assert server.receiving.wait(timeout=30)  # mid-task: the message is being sent

    worker.process.send_signal(signal.SIGTERM)
    wait_until(lambda: worker.logged("shutting down gracefully"))
    server.answering.set()

    assert worker.process.wait(timeout=30) == 0
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    [message] = server.received
    assert "To: welcome@example.com" in message
