"""The machinery behind the production tests: the image's environment and command,
HTTP helpers that pick their Host or act as a browser, and gunicorn's workers.
The fixtures that release and serve a project live in conftest.py."""

import asyncio
import concurrent.futures
import contextlib
import json
import re
import secrets
import shlex
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from aiosmtpd.controller import Controller

from .generated import Project
from .services import SERVICE_VARIABLES
from .tls_proxy import TLSProxy

# What an operator sets, as the generated README and .env.example tell them to: the
# image's own ENV picks production settings.
PROD = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "localhost",
    "DJANGO_ADMIN_URL": f"{secrets.token_urlsafe(12)}/",
    # Behind a proxy that terminates TLS, as the README and .env.example say.
    "DJANGO_BEHIND_TLS_PROXY": "true",
    # Every visitor here signs up from one address, the proxy's, and the racing
    # check sends every worker's sign-up for one e-mail address at once: sign-up
    # limits are raised as for a load test. Login keeps its default limits.
    "DJANGO_SIGNUP_ATTEMPTS_PER_IP": "1000",
    "DJANGO_SIGNUP_ATTEMPTS_PER_ACCOUNT": "1000",
}


def container_start(home: Path) -> dict[str, str]:
    """What a container of the image starts with before the Dockerfile's ENV: the
    base image's variables (python:3.12-slim sets LANG) and the runtime's."""
    return {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "LANG": "C.UTF-8",
        "HOME": str(home),
    }


def operator_environment(
    services: dict[str, str], image_env: dict[str, str]
) -> dict[str, str]:
    """The Dockerfile's ENV and only what an operator is told to set: PROD and the
    addresses of the variant's services."""
    addresses = {
        name: value
        for name, value in services.items()
        if name in SERVICE_VARIABLES.values()
    }
    return {**image_env, **PROD, **addresses}


def documented_variables(project: Path) -> set[str]:
    """Every variable the project's Dockerfile sets (ENV), or .env.example (a line
    NAME=..., commented or not) and the README (in a code span) name for an
    operator to set."""
    dockerfile = (project / "Dockerfile").read_text(encoding="utf-8")
    example = (project / ".env.example").read_text(encoding="utf-8")
    readme = (project / "README.md").read_text(encoding="utf-8")
    return (
        set(dockerfile_env(dockerfile))
        | set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
        | set(re.findall(r"`([A-Z][A-Z0-9_]*)[=`]", readme))
    )


# Two task workers, as a deployment runs for availability: each task still runs once.
TASK_WORKERS = 2


def web_nodes_for(context: dict) -> int:
    """Two web nodes where both reach one database, and with it (a cache server, or
    the database's table for the local-memory variant) every state the site keeps;
    one where SQLite keeps the site on the machine that holds its file."""
    return 2 if context["database"] == "postgresql" else 1


def task_worker_command(project: Path) -> list[str]:
    """The worker of the project's process model, as its compose.yaml runs it."""
    compose = yaml.safe_load((project / "compose.yaml").read_text(encoding="utf-8"))
    return shlex.split(compose["services"]["worker"]["command"])


def image_environment(
    dockerfile: str, volume: Path
) -> tuple[dict[str, str], list[str]]:
    """The Dockerfile's ENV (less the image's own paths) and its CMD; the SQLite
    volume at /data becomes ``volume``."""
    env = {
        name: value.replace("sqlite:////data/", f"sqlite:///{volume}/")
        for name, value in dockerfile_env(dockerfile).items()
        if name != "PATH" and not name.startswith("UV_")
    }
    [command] = re.findall(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    return env, json.loads(command)


def build_step(dockerfile: str, program: str) -> str:
    """The shell command of the Dockerfile's one RUN instruction that runs
    ``program``, its continuation lines joined."""
    [step] = [
        line.removeprefix("RUN ")
        for line in instructions(dockerfile)
        if line.startswith("RUN ") and program in line
    ]
    return step


def instructions(dockerfile: str) -> list[str]:
    """The Dockerfile's lines, each instruction's continuation lines joined."""
    return dockerfile.replace("\\\n", " ").splitlines()


def dockerfile_env(dockerfile: str) -> dict[str, str]:
    """Every variable the Dockerfile's ENV instructions set, with its value."""
    return {
        name: value
        for line in instructions(dockerfile)
        if line.startswith("ENV ")
        for name, value in re.findall(r"(\w+)=(\S+)", line)
    }


class MailServer:
    """A real SMTP server that keeps who each message went to. While ``slow()``,
    it leaves each message unanswered until the block ends, as a slow mail
    provider does, or for ``HOLD_SECONDS`` at most."""

    # Past the project's SMTP timeout (10 s), so a send inside the request gives up
    # and no mail comes; within gunicorn's 30 s, so the page still answers.
    HOLD_SECONDS = 20

    def __init__(self, port: int) -> None:
        self.port = port
        self.recipients: list[str] = []
        self._answering = threading.Event()
        self._answering.set()
        self._controller = Controller(self, hostname="127.0.0.1", port=port)
        self._controller.start()

    async def handle_DATA(self, server, session, envelope) -> str:
        held_until = time.monotonic() + self.HOLD_SECONDS
        while not self._answering.is_set() and time.monotonic() < held_until:
            await asyncio.sleep(0.02)
        self.recipients += envelope.rcpt_tos
        return "250 Message accepted"

    @contextlib.contextmanager
    def slow(self) -> Iterator[None]:
        self._answering.clear()
        try:
            yield
        finally:
            self._answering.set()

    def wait_for(self, address: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while address not in self.recipients:
            assert time.monotonic() < deadline, f"no mail to {address}"
            time.sleep(0.05)

    def recipients_of(self, addresses: list[str]) -> list[str]:
        """Every message so far to any of ``addresses``, one entry per message."""
        return [address for address in self.recipients if address in addresses]

    def stop(self) -> None:
        self._controller.stop()


@dataclass
class Production:
    app: Project
    direct: str  # the first node's gunicorn itself, as a probe reaches the container
    proxy: TLSProxy  # its url takes turns over the nodes
    server: subprocess.Popen  # the first node's gunicorn
    workers: int  # gunicorn's workers on each node
    mail: MailServer
    log: Path  # what the first node's gunicorn printed
    processes: list[subprocess.Popen]  # every web node's and task worker's

    def variables_of(self, process: subprocess.Popen) -> set[str]:
        """The names in a running process's environment, as the kernel holds it."""
        environ = Path(f"/proc/{process.pid}/environ").read_bytes()
        return {
            entry.split(b"=", 1)[0].decode() for entry in environ.split(b"\0") if entry
        }

    @property
    def workers_on_every_node(self) -> int:
        return self.workers * len(self.proxy.nodes)

    def visitor(self) -> urllib.request.OpenerDirector:
        return self.proxy.visitor()


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects, with a Host of our choosing."""

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirects)
    request = urllib.request.Request(url, headers={"Host": "localhost", **headers})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def open_page(visitor, url: str, form: dict | None = None) -> tuple[int, str, str]:
    """Status, final URL and text of a page, following redirects as a browser."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers={"Referer": url})
    with visitor.open(request, timeout=30) as response:
        return response.status, response.url, response.read().decode()


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def sign_up_form(token: str, email: str, password: str) -> dict[str, str]:
    """The sign-up form as a visitor fills it in, under the CSRF ``token``."""
    return {
        "csrfmiddlewaretoken": token,
        "email": email,
        "password1": password,
        "password2": password,
    }


def at_once(count: int, action) -> list:
    """``action(i)`` for i in range(count), all at the same time: connections
    spread over every gunicorn worker."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(action, range(count)))


def children_of(pid: int) -> list[Path]:
    return [
        path for path in Path("/proc").glob("[0-9]*/stat") if _parent_of(path) == pid
    ]


def _parent_of(stat: Path) -> int | None:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None
