"""What every variant promises its users of the files it deploys with (compose, CI,
.env), of Django's checks and of the tools it runs with.

The variants are the cartesian product of cookiecutter.json's choices and booleans
(tests/template.py): a new choice there is a new set of variants here.
"""

import ast
import posixpath
import re

import pytest
import yaml

from .generated import assert_ok, project_files, text_of
from .template import ids_of_variants_with, load_hook

pruning = load_hook("post_gen_project")
pre_gen = load_hook("pre_gen_project")


def services_used(answers: dict, *, ci: bool = False) -> set[str]:
    """The servers a variant runs beside the site, named as compose and CI name them."""
    return set(pruning.services_for(answers, ci=ci))


def test_compose_runs_the_site_its_worker_and_exactly_the_services_it_uses(baked):
    compose = yaml.safe_load(text_of(baked.project_path / "compose.yaml"))
    services = compose["services"]
    assert set(services) == {"web", "worker"} | services_used(baked.context)
    assert set(services["web"].get("depends_on", {})) == services_used(baked.context)
    # The worker starts once web has migrated, and runs the same image.
    assert set(services["worker"]["depends_on"]) == {"web"}
    assert services["worker"]["command"] == "python manage.py db_worker"
    assert services["worker"]["build"] == services["web"]["build"]
    for service in services.values():
        for awaited, condition in service.get("depends_on", {}).items():
            assert condition == {"condition": "service_healthy"}
            assert "healthcheck" in services[awaited], awaited


def test_next_steps_start_the_services_the_project_uses_before_migrate(baked):
    steps = pruning.next_steps("shop", baked.context)
    assert steps[0] == "cd shop"
    assert steps[-3:] == [
        "uv run manage.py migrate",
        "uv run manage.py runserver",
        "uv run pytest",
    ]
    start = steps[1:-3]
    assert len(start) <= 1
    started = start[0].removeprefix("docker compose up -d ").split() if start else []
    assert set(started) == services_used(baked.context)


def test_containers_keep_the_database_in_a_named_volume(baked):
    """`docker compose down` and a rebuilt image keep the data. SQLite writes its file
    and a journal beside it, so the image's non-root user must own the directory: a
    new named volume takes the owner of the directory it is mounted on."""
    compose = yaml.safe_load(text_of(baked.project_path / "compose.yaml"))
    if baked.context["database"] == "postgresql":
        service, directory = "postgres", "/var/lib/postgresql/data"
    else:
        dockerfile = text_of(baked.project_path / "Dockerfile")
        url = re.search(
            r"^ENV DATABASE_URL=sqlite:///(/\S+)$", dockerfile, re.MULTILINE
        )
        service, directory = "web", posixpath.dirname(url[1])
        as_root, _ = dockerfile.split("\nUSER app\n")
        assert f"\nRUN mkdir {directory} && chown app {directory}\n" in as_root
    mounts = (volume.split(":") for volume in compose["services"][service]["volumes"])
    named = {target for source, target, *_ in mounts if source in compose["volumes"]}
    assert directory in named


def test_ci_lints_and_runs_each_chosen_tier_with_its_services(baked):
    ci = yaml.safe_load(
        text_of(baked.project_path / ".github" / "workflows" / "ci.yml")
    )
    tiers = baked.context["test_tiers"].split("+")
    assert list(ci["jobs"]) == ["lint", *tiers]
    for tier in tiers:
        job = ci["jobs"][tier]
        # Each tier measures coverage against its floor (test_generated_ci.py checks
        # the floor is reached); the integration tier uses every core; CI keeps the
        # trace of a failed browser journey.
        options = {
            "unit": r"--cov --cov-fail-under=\d+",
            "integration": r"--cov --cov-fail-under=\d+ -n auto",
            "e2e": r"--cov --cov-fail-under=\d+ --tracing=retain-on-failure",
        }[tier]
        commands = [step.get("run", "") for step in job["steps"]]
        pattern = re.compile(rf"uv run pytest -m {tier} {options}")
        assert any(pattern.fullmatch(command) for command in commands), commands
        # The integration tier also runs CI's own services (a standby, for the
        # replica tests).
        expected = {
            "unit": set(),
            "integration": services_used(baked.context, ci=True),
            "e2e": services_used(baked.context),
        }[tier]
        assert set(job.get("services", {})) == expected, tier
        for name, service in job.get("services", {}).items():
            assert "--health-cmd" in service["options"], name


# gunicorn reads these itself; gunicorn.conf.py documents them.
GUNICORN_OWN_VARIABLES = {"WEB_CONCURRENCY"}


def test_env_example_lists_exactly_the_variables_the_project_reads(baked):
    sources = "".join(
        text_of(baked.project_path / "config" / "settings" / f"{name}.py")
        for name in ("base", "dev", "test", "prod")
    ) + text_of(baked.project_path / "gunicorn.conf.py")
    read = set(re.findall(r"(?:env(?:\.\w+)?|environ\.get)\(\s*\"([A-Z_]+)\"", sources))
    prod = ast.parse(text_of(baked.project_path / "config" / "settings" / "prod.py"))
    [required] = [
        ast.literal_eval(node.value)
        for node in prod.body
        if isinstance(node, ast.Assign) and node.targets[0].id == "REQUIRED"
    ]
    listed = set(
        re.findall(
            r"^#? ?([A-Z_]+)=",
            text_of(baked.project_path / ".env.example"),
            re.MULTILINE,
        )
    )
    assert listed == read | set(required) | GUNICORN_OWN_VARIABLES


def test_env_file_holds_a_fresh_secret_and_never_ships(baked):
    """The secret is the project's own; the admin stays at /admin/ in development,
    where a new user looks for it (production requires a secret one)."""
    env = text_of(baked.project_path / ".env")
    [secret] = re.findall(r"^DJANGO_SECRET_KEY=(\S+)$", env, re.MULTILINE)
    assert len(secret) >= 50
    assert re.findall(r"^DJANGO_ADMIN_URL=(\S+)$", env, re.MULTILINE) == ["admin/"]
    assert ".env" in text_of(baked.project_path / ".gitignore").splitlines()
    assert ".env" in text_of(baked.project_path / ".dockerignore").splitlines()
    for path in project_files(baked.project_path):
        if path.name != ".env":
            assert secret not in text_of(path), path


def test_django_system_checks_pass(project):
    """ruff and makemigrations run in the project's own CI (test_generated_ci.py)."""
    assert_ok(project.manage("check", "--fail-level", "WARNING"))


@pytest.mark.parametrize(
    "baked", ids_of_variants_with(database="postgresql"), ids=str, indirect=True
)
def test_the_postgres_connection_pool_connects_when_switched_on(project, baked):
    probe = "from django.db import connection; connection.ensure_connection(); print(type(connection.pool).__name__)"
    completed = project.manage("shell", "-c", probe, env={"DJANGO_DB_POOL": "true"})
    assert_ok(completed)
    assert completed.stdout.strip().splitlines()[-1] == "ConnectionPool"


def test_no_slug_is_accepted_that_would_shadow_a_module_the_project_installs(project):
    """The pre-generation hook refuses such slugs by its DEPENDENCY_MODULES: every
    importable top-level name of this variant's environment must be in it."""
    listing = "import importlib.metadata as m; print(*m.packages_distributions())"
    completed = project.run("python", "-c", listing)
    assert_ok(completed)
    installed = {
        name
        for name in completed.stdout.split()
        if pre_gen.SLUG_PATTERN.fullmatch(name) and name not in pre_gen.STDLIB_MODULES
    }
    assert installed - pre_gen.DEPENDENCY_MODULES == set()
