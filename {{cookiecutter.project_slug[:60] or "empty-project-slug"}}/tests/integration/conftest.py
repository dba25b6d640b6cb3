"""A {{ "Redis" if cookiecutter.cache_backend == "redis" else "memcached" }} server of the test's own, for the tests that stop it or count
what it holds."""

{% if cookiecutter.cache_backend == "memcached" -%}
import os
import pwd
{% endif -%}
import shutil
import socket
import subprocess
import time

import pytest

SERVER = "{{ "redis-server" if cookiecutter.cache_backend == "redis" else "memcached" }}"


class CacheServer:
    """A {{ "Redis" if cookiecutter.cache_backend == "redis" else "memcached" }} server on a free loopback port, stopped and started at will."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
{%- if cookiecutter.cache_backend == "redis" %}
        args = [SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
{%- else %}
        user = pwd.getpwuid(os.getuid()).pw_name  # memcached needs -u to run as root
        args = [SERVER, "-l", "127.0.0.1", "-p", str(self.port), "-u", user]
{%- endif %}
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def stop(self) -> None:
        # Killed, as in a crash: an outage needs no clean shutdown, which can take
        # a second.
        assert self.process is not None, "stop() before start()"
        self.process.kill()
        self.process.wait()


@pytest.fixture
def cache_server(settings):
    if not shutil.which(SERVER):
        pytest.skip(f"{SERVER} is not installed")
    server = CacheServer()
    server.start()
{%- if cookiecutter.cache_backend == "redis" %}
    location = f"redis://127.0.0.1:{server.port}/0"
{%- else %}
    location = f"127.0.0.1:{server.port}"
{%- endif %}
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": location}}
    yield server
    server.stop()
