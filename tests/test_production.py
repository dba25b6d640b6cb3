"""Production as shipped: the project pushed as generated, released under prod
settings, and served by the Dockerfile's own command with the Dockerfile's
environment (its WEB_CONCURRENCY workers), behind a TLS-terminating proxy, probed
the way orchestrators probe, with writes from other processes and concurrent
users.
"""

import os
import re
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .ci_replay import clone, commit_as_generated
from .generated import Project
from .production import (
    Production,
    at_once,
    children_of,
    csrf_token,
    fetch,
    image_environment,
    open_page,
)
from .services import free_port, wait_for_port
from .template import ids_of_variants_with
from .tls_proxy import TLSProxy

PROD = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "localhost",
    "DJANGO_ADMIN_URL": f"{secrets.token_urlsafe(12)}/",
    # Behind a proxy that terminates TLS, as the README and .env.example say.
    "DJANGO_BEHIND_TLS_PROXY": "true",
}
# What an orchestrator's probe sends as the Host: the pod's own address.
PROBE_HOST = "10.1.2.3"


def assert_ok(completed: subprocess.CompletedProcess) -> None:
    assert completed.returncode == 0, (
        f"{completed.args}\n{completed.stdout}\n{completed.stderr}"
    )


@pytest.fixture(scope="session")
def production_release(project, tmp_path_factory):
    """The pushed project, checked and released under prod settings in one process."""
    workdir = tmp_path_factory.mktemp("production")
    checkout = clone(commit_as_generated(project.path), workdir / "app")
    volume = workdir / "data"
    volume.mkdir()
    dockerfile = (checkout / "Dockerfile").read_text()
    image_env, command = image_environment(dockerfile, volume)
    app = Project(
        path=checkout, venv=project.venv, env={**project.env, **image_env, **PROD}
    )
    results = app.manage_in_one_process(
        ["check", "--deploy", "--fail-level", "WARNING"],
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput"],
    )
    return (
        app,
        command,
        workdir,
        dict(zip(["deploy_check", "migrate", "collectstatic"], results, strict=True)),
    )


@pytest.fixture(scope="session")
def production(production_release):
    app, command, workdir, release = production_release
    assert_ok(release["migrate"])
    assert_ok(release["collectstatic"])
    port = free_port()
    log_path = workdir / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            command,
            cwd=app.path,
            env=app.environment({"PORT": str(port)}),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    proxy = None
    try:
        try:
            wait_for_port(port, server, "gunicorn")
        except RuntimeError as error:
            pytest.fail(f"{error}\n{log_path.read_text()}")
        proxy = TLSProxy(port, workdir)
        yield Production(
            app,
            f"http://127.0.0.1:{port}",
            proxy,
            server,
            int(app.env["WEB_CONCURRENCY"]),
        )
    finally:
        if proxy:
            proxy.stop()
        # Killed with its workers: a graceful stop costs time and is not what
        # these tests are about.
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def test_production_settings_pass_the_deploy_checks(production_release):
    deploy_check = production_release[3]["deploy_check"]
    assert_ok(deploy_check)
    assert "no issues" in deploy_check.stdout


def test_production_refuses_to_start_without_each_required_variable(project):
    required = ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_ADMIN_URL"]
    required += sorted(
        project.env.keys() & {"DATABASE_URL", "REDIS_URL", "MEMCACHED_URL"}
    )
    unset = dict.fromkeys(required, "")
    completed = project.manage("check", env={**PROD, **unset})
    assert completed.returncode != 0
    assert [
        line.removeprefix("django.core.exceptions.ImproperlyConfigured: ")
        for line in completed.stderr.splitlines()
        if line.rstrip().endswith("production settings need it in the environment.")
    ] == [
        f"{name} is not set: production settings need it in the environment."
        for name in required
    ]


def test_gunicorn_runs_the_workers_the_image_asks_for(production):
    assert production.workers >= 2
    deadline = time.monotonic() + 20  # the master forks its workers after binding
    while len(workers := children_of(production.server.pid)) != production.workers:
        assert time.monotonic() < deadline, (len(workers), production.workers)
        time.sleep(0.1)


def test_probes_answer_an_ip_address_host_that_every_other_page_refuses(production):
    for probe in ("/healthz", "/readyz"):
        status, _, body = fetch(f"{production.direct}{probe}", Host=PROBE_HOST)
        assert status == 200, (probe, body)
    assert fetch(f"{production.direct}/", Host=PROBE_HOST)[0] == 400
    assert fetch(f"{production.direct}/accounts/login/", Host=PROBE_HOST)[0] == 400


def test_plain_http_is_redirected_to_https(production):
    status, headers, _ = fetch(f"{production.direct}/")
    assert status == 301
    assert headers["Location"] == "https://localhost/"


def test_through_the_tls_proxy_pages_answer_without_a_redirect_loop(production):
    visitor = production.visitor()
    with visitor.open(f"{production.proxy.url}/", timeout=30) as response:
        assert response.status == 200
        assert response.url == f"{production.proxy.url}/"
        # HSTS starts short, and the ramp is the team's to take (README).
        assert response.headers["Strict-Transport-Security"].startswith("max-age=3600")
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        page = response.read()
    [stylesheet] = re.findall(rb'href="(/static/[^"]+\.css)"', page)
    # Manifest storage: the file name carries its content hash.
    assert re.fullmatch(rb"/static/css/site\.[0-9a-f]{12}\.css", stylesheet)
    with visitor.open(f"{production.proxy.url}{stylesheet.decode()}") as response:
        assert "immutable" in response.headers["Cache-Control"]


def test_the_admin_lives_only_at_its_secret_address(production):
    visitor = production.visitor()
    with pytest.raises(urllib.error.HTTPError) as missing:
        visitor.open(f"{production.proxy.url}/admin/", timeout=30)
    assert missing.value.code == 404
    admin = f"{production.proxy.url}/{PROD['DJANGO_ADMIN_URL']}"
    status, url, _ = open_page(visitor, admin)
    assert status == 200 and url.startswith(f"{admin}login/")


WRITE_ELSEWHERE = """
from django.utils import timezone
from {slug}.users.models import User
operator = User.objects.create_superuser(email="operator@example.com", password={password!r})
"""
WRITE_A_POST = """
from {slug}.blog.models import Post
Post.objects.create(author=operator, title="Written by another process",
    slug="written-by-another-process", body="Seen by every worker.",
    published_at=timezone.now())
"""
OPERATOR_PASSWORD = secrets.token_urlsafe(16)


@pytest.fixture(scope="session")
def written_by_another_process(production, baked):
    """Writes made by a management command, a process of its own, after every
    worker has had the chance to cache the anonymous post list."""
    script = WRITE_ELSEWHERE
    if baked.context["include_example_app"]:
        posts = f"{production.proxy.url}/posts/"
        visitor = production.visitor()
        warm = at_once(4 * production.workers, lambda _: open_page(visitor, posts))
        assert all(status == 200 for status, _, _ in warm)
        script += WRITE_A_POST
    slug = baked.context["project_slug"]
    code = script.format(slug=slug, password=OPERATOR_PASSWORD)
    assert_ok(production.app.manage("shell", "-c", code))


def test_an_account_made_by_another_process_is_logged_in_on_every_worker(
    production, written_by_another_process
):
    email = "operator@example.com"
    member = production.visitor()
    login = f"{production.proxy.url}/accounts/login/"
    _, _, page = open_page(member, login)
    form = {
        "csrfmiddlewaretoken": csrf_token(page),
        "username": email,
        "password": OPERATOR_PASSWORD,
    }
    status, url, page = open_page(member, login, form)
    assert (status, url) == (200, f"{production.proxy.url}/") and email in page
    pages = at_once(4 * production.workers, lambda _: open_page(member, url)[2])
    assert all(email in page for page in pages)


def test_concurrent_sign_ups_through_every_worker_all_succeed(production):
    """Several workers writing at once: no "database is locked", no 500."""
    signup = f"{production.proxy.url}/accounts/signup/"
    visitors = [production.visitor() for _ in range(2 * production.workers)]
    tokens = [csrf_token(open_page(visitor, signup)[2]) for visitor in visitors]
    password = secrets.token_urlsafe(16)

    def sign_up(number: int) -> tuple[int, str]:
        form = {
            "csrfmiddlewaretoken": tokens[number],
            "email": f"newcomer{number}@example.com",
            "password1": password,
            "password2": password,
        }
        status, url, _ = open_page(visitors[number], signup, form)
        return status, url

    assert at_once(len(visitors), sign_up) == [(200, f"{production.proxy.url}/")] * len(
        visitors
    )


@pytest.mark.parametrize(
    "baked", ids_of_variants_with(include_example_app=True), ids=str, indirect=True
)
def test_a_post_written_by_another_process_shows_on_every_workers_next_request(
    production, written_by_another_process
):
    posts = f"{production.proxy.url}/posts/"
    visitor = production.visitor()
    pages = at_once(4 * production.workers, lambda _: open_page(visitor, posts)[2])
    assert all("Written by another process" in page for page in pages)
