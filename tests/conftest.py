import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest
from xdist.scheduler import LoadScopeScheduling

from . import actions_cache, phases
from .ci_replay import commit_as_generated
from .generated import Project, assert_ok, environment_for
from .image import (
    SHARED_RUNS,
    Image,
    copy_build_context,
    image_key,
    record_shared_run,
    report_shared_runs,
)
from .production import (
    TASK_WORKERS,
    MailServer,
    Production,
    build_step,
    container_start,
    image_environment,
    operator_environment,
    task_worker_command,
    web_nodes_for,
)
from .services import Services, free_port, start_postgres_for_session, wait_for_port
from .template import (
    ALL_VARIANTS,
    IMAGES,
    ROOT,
    VARIANTS,
    VARIANTS_BY_ID,
    image_id,
    variant_id,
)
from .tls_proxy import TLSProxy

# A run writes tens of thousands of small files (bakes, collected static files,
# bytecode, Postgres relations): on tmpfs each costs a tenth of what it costs on
# these machines' disks. Only with room to spare: a container's /dev/shm is
# often 64 MB.
FAST_TMP = Path("/dev/shm")
FAST_TMP_NEEDED = 4 * 2**30


def use_memory_for_temporary_files(config: pytest.Config) -> None:
    """Temporary files of this run (pytest's tmp_path and the bakes in it,
    Postgres's data, cookiecutter's hook scripts) in a directory of its own on
    tmpfs, removed at the end; TMPDIR or --basetemp keep them on disk instead."""
    if (
        "TMPDIR" in os.environ
        or config.option.basetemp
        or not FAST_TMP.is_dir()
        or not os.access(FAST_TMP, os.W_OK)
        or shutil.disk_usage(FAST_TMP).free < FAST_TMP_NEEDED
    ):
        return
    directory = tempfile.mkdtemp(prefix="template-tests-", dir=FAST_TMP)
    os.chmod(directory, 0o711)  # Postgres runs as its own user when we are root
    tempfile.tempdir = directory
    # Child processes too: cookiecutter's CLI and cruft leave a copy of each hook
    # behind in TMPDIR (cookiecutter#886), about a hundred per run.
    os.environ["TMPDIR"] = directory
    config.add_cleanup(lambda: shutil.rmtree(directory, ignore_errors=True))


def pytest_configure(config: pytest.Config) -> None:
    use_memory_for_temporary_files(config)
    if not hasattr(config, "workerinput"):
        # One for the run, as a repository's runs share GitHub's: never kept.
        cache = actions_cache.create_for_this_run()
        config.add_cleanup(lambda: shutil.rmtree(cache, ignore_errors=True))
    # Once, in the controlling process: xdist workers inherit the server's URL.
    if not hasattr(config, "workerinput") and any(
        variant.get("database") == "postgresql" for variant in VARIANTS
    ):
        start_postgres_for_session(config)


class VariantScheduling(LoadScopeScheduling):
    """--dist loadscope with the variants of one image and the image's checks as
    the scope: they go to one worker together, so each variant is baked, given an
    environment and its servers once, and its pushed project serves the image.
    Any other test is a scope of its own. (pytest-xdist starts the scopes with the
    most tests first, which are the slowest.)

    Not `xdist_group` marks: since pytest 9.2 `--dist loadgroup` silently hands
    marked tests out one by one (pytest-dev/pytest-xdist#1386)."""

    def _split_scope(self, nodeid: str) -> str:
        parameters = nodeid.partition("[")[2].removesuffix("]")
        if parameters in VARIANTS_BY_ID:
            return image_id(VARIANTS_BY_ID[parameters])
        return parameters if parameters in IMAGES else nodeid


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # Where every report arrives once: the controller, or the only process.
    if "PYTEST_XDIST_WORKER" not in os.environ:
        phases.add_call(report)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workeroutput"):  # a pytest-xdist worker
        session.config.workeroutput["phases"] = dict(phases.SECONDS)
        session.config.workeroutput["shared_runs"] = session.config.stash.get(
            SHARED_RUNS, []
        )


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """Gather what each pytest-xdist worker noted of its time and images."""
    output = getattr(node, "workeroutput", {})
    phases.SECONDS.update(output.get("phases", {}))
    node.config.stash.setdefault(SHARED_RUNS, []).extend(output.get("shared_runs", []))


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    report_shared_runs(config, terminalreporter)
    phases.report(phases.SECONDS, terminalreporter)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log) -> VariantScheduling | None:
    if config.getvalue("dist") == "loadscope":
        return VariantScheduling(config, log)
    return None


@pytest.fixture(scope="session")
def bake(cookies_session):
    """Bake the template with the given answers; fail unless it baked cleanly."""

    baked = {}

    def bake(answers: dict):
        key = variant_id(answers)
        if key in baked:
            return baked[key]
        with phases.phase("bakes"):
            result = cookies_session.bake(extra_context=answers, template=str(ROOT))
        assert result.exception is None, result.exception
        assert result.exit_code == 0
        # pytest-cookies silently drops unknown keys: prove every answer was used.
        for name, value in answers.items():
            assert result.context[name] == value, name
        # Kept only once checked, so a later caller never gets a failed bake.
        baked[key] = result
        return result

    return bake


@pytest.fixture(scope="session", params=list(VARIANTS_BY_ID), ids=str)
def baked(request, bake):
    """One baked project per variant of cookiecutter.json, shared by its checks.

    The parameter is the variant's id: a check that only some variants have
    narrows it with `parametrize("baked", ids_of_variants_with(...), ids=str,
    indirect=True)`; pytest groups both by equal ids, so each variant is baked once.
    (ids=str: pytest would shorten such long ids to "baked<n>".)"""
    variant = VARIANTS_BY_ID[request.param]
    result = bake(variant)
    result.variant = variant
    return result


@pytest.fixture(scope="session")
def services():
    services = Services()
    yield services
    services.stop()


@pytest.fixture(scope="session")
def project(baked, services) -> Project:
    """The baked variant, with an environment built from its own pyproject.toml and
    real servers for the services it chose."""
    key = str(ALL_VARIANTS.index(baked.variant))
    with phases.phase("environments"):
        venv = environment_for(baked.project_path)
    with phases.phase("servers"):
        env = services.environment_for(baked.context, key)
    return Project(path=baked.project_path, venv=venv, env=env)


@pytest.fixture(scope="session", params=list(IMAGES), ids=str)
def image(request, bake, services) -> Image:
    """The production image of a group of variants (``IMAGES``), built from each
    one's pushed project: its key must be the same for all, since the production
    checks run once for them."""
    members = {member: bake(VARIANTS_BY_ID[member]) for member in IMAGES[request.param]}
    keys, repositories, venvs = {}, {}, {}
    for member, baked in members.items():
        with phases.phase("environments"):
            # Also fills uv's cache for the `uv lock` of the image's key.
            venvs[member] = environment_for(baked.project_path)
        repositories[member] = commit_as_generated(baked.project_path)
        with phases.phase("image keys"):
            keys[member] = image_key(repositories[member])
    assert len(set(keys.values())) == 1, (
        f"These variants build different images, so they cannot share a production "
        f"run: {keys}. Is an answer in OUTSIDE_THE_IMAGE (tests/template.py) read "
        f"by a file the image holds?"
    )
    first = next(iter(members))
    index = len(ALL_VARIANTS) + list(IMAGES).index(request.param)
    shared = Image(
        id=request.param,
        variants=list(members),
        context=members[first].context,
        key=keys[first],
        repository=repositories[first],
        venv=venvs[first],
        env=services.environment_for(members[first].context, str(index)),
    )
    record_shared_run(request.config, shared)
    return shared


@pytest.fixture(scope="session")
def production_release(image, tmp_path_factory):
    """The image's files, their static files collected by the Dockerfile's own
    build step, then checked and released in one process, with the operator's
    variables alone."""
    workdir = tmp_path_factory.mktemp("production")
    app_files = copy_build_context(image.repository, workdir / "app")
    volume = workdir / "data"
    volume.mkdir()
    dockerfile = (app_files / "Dockerfile").read_text()
    image_env, command = image_environment(dockerfile, volume)
    start = container_start(workdir)
    build = Project(path=app_files, venv=image.venv, env=image_env, start=start)
    app = Project(
        path=app_files,
        venv=image.venv,
        env=operator_environment(image.env, image_env),
        start=start,
    )
    with phases.phase("production build"):
        collected = build.run("sh", "-c", build_step(dockerfile, "collectstatic"))
    with phases.phase("production release"):
        results = app.manage_in_one_process(
            ["check", "--deploy", "--fail-level", "WARNING"],
            ["migrate", "--noinput"],
        )
    release = dict(zip(["deploy_check", "migrate"], results, strict=True))
    return app, command, workdir, {**release, "collectstatic": collected}


@pytest.fixture(scope="session")
def production(production_release, image):
    """The image's processes as the generated README's process model runs them:
    web nodes behind one TLS proxy (two, where they can share the site's state) and
    two task workers, sending mail to a real SMTP server."""
    app, command, workdir, release = production_release
    assert_ok(release["migrate"])
    assert_ok(release["collectstatic"])
    mail = MailServer(free_port())
    env = app.environment({"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mail.port)})
    ports = [free_port() for _ in range(web_nodes_for(image.context))]
    worker = task_worker_command(app.path)
    started = [
        (f"web{node}", command, {"PORT": str(port)}) for node, port in enumerate(ports)
    ]
    started += [(f"worker{number}", worker, {}) for number in range(TASK_WORKERS)]
    processes = []
    for name, argv, own_env in started:
        with (workdir / f"{name}.log").open("w") as log:
            processes.append(
                subprocess.Popen(
                    argv,
                    cwd=app.path,
                    env={**env, **own_env},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
    proxy = None
    try:
        with phases.phase("production start"):
            for node, port in enumerate(ports):
                try:
                    wait_for_port(port, processes[node], "gunicorn")
                except RuntimeError as error:
                    log = (workdir / f"web{node}.log").read_text()
                    pytest.fail(f"{error}\n{log}")
            proxy = TLSProxy(ports, workdir)
        yield Production(
            app,
            f"http://127.0.0.1:{ports[0]}",
            proxy,
            processes[0],
            int(app.env["WEB_CONCURRENCY"]),
            mail,
            workdir / "web0.log",
            processes,
        )
    finally:
        if proxy:
            proxy.stop()
        # Killed with their children: a graceful stop costs time and is not what
        # these tests are about.
        for process in processes:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        mail.stop()
