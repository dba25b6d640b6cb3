"""Production as shipped: the project pushed as generated, released under prod
settings, and served by the Dockerfile's own command with the Dockerfile's
environment (its WEB_CONCURRENCY workers), behind a TLS-terminating proxy and
probed the way orchestrators probe.
"""

import json
import re
import time
import urllib.error
from pathlib import Path

import pytest

from .generated import assert_ok
from .production import (
    PROD,
    children_of,
    container_start,
    documented_variables,
    fetch,
    open_page,
)

# What an orchestrator's probe sends as the Host: the pod's own address.
PROBE_HOST = "10.1.2.3"


def test_production_settings_pass_the_deploy_checks(production_release):
    deploy_check = production_release[3]["deploy_check"]
    assert_ok(deploy_check)
    assert "no issues" in deploy_check.stdout


def test_production_refuses_to_start_without_each_required_variable(
    production_release, image
):
    app = production_release[0]
    required = ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_ADMIN_URL"]
    # The address of each service the image uses (SQLite's is the image's own).
    required += sorted(
        image.env.keys() & {"DATABASE_URL", "REDIS_URL", "MEMCACHED_URL"}
    )
    unset = dict.fromkeys(required, "")
    completed = app.manage("check", env=unset)
    assert completed.returncode != 0
    assert [
        line.removeprefix("django.core.exceptions.ImproperlyConfigured: ")
        for line in completed.stderr.splitlines()
        if line.rstrip().endswith("production settings need it in the environment.")
    ] == [
        f"{name} is not set: production settings need it in the environment."
        for name in required
    ]


def test_every_process_has_the_images_env_and_the_operators_variables_alone(
    production, image
):
    allowed = documented_variables(image.repository) | container_start(Path()).keys()
    for process in production.processes:
        unexplained = production.variables_of(process) - allowed
        assert not unexplained, (process.args, sorted(unexplained))


def test_management_commands_in_the_image_run_on_production_settings(production):
    code = "from django.conf import settings; print(settings.SETTINGS_MODULE)"
    completed = production.app.manage("shell", "--no-imports", "-c", code)
    assert_ok(completed)
    assert completed.stdout.strip() == "config.settings.prod"


def test_the_image_neither_ships_nor_installs_the_benchmarks(production):
    assert not list(production.app.path.glob("*/bench"))
    completed = production.app.manage("help", "--commands")
    assert_ok(completed)
    assert "db_worker" in completed.stdout.split()
    assert not {"bench", "bench_tasks"} & set(completed.stdout.split())


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


def test_production_logs_one_json_object_per_line_each_request_with_its_id(
    production,
):
    _, headers, _ = fetch(f"{production.direct}/healthz", **{"X-Request-ID": "lb-7"})
    assert headers["X-Request-ID"] == "lb-7"
    deadline = time.monotonic() + 10
    while True:
        records = [json.loads(line) for line in production.log.read_text().splitlines()]
        access = [
            record
            for record in records
            if record["logger"] == "gunicorn.access"
            and record.get("request_id") == "lb-7"
        ]
        if access or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(access) == 1, records[-5:]
    assert '"GET /healthz HTTP/1.1" 200' in access[0]["event"]
