"""What every variant of the template promises its users.

The variants are the cartesian product of cookiecutter.json's choices and booleans
(tests/template.py): a new choice there is a new set of variants here.
"""

import ast
import posixpath
import re
import sys
from pathlib import Path

import pytest
import yaml

from .generated import assert_ok
from .template import ids_of_variants_with, load_hook

RUFF = [sys.executable, "-m", "ruff"]
UNRENDERED = re.compile(r"\{\{|\{%|\bcookiecutter\.")
# Django templates use {% %} and {{ }} themselves: only a cookiecutter variable is a leftover.
UNRENDERED_IN_DJANGO_TEMPLATES = re.compile(r"\bcookiecutter\.")
pruning = load_hook("post_gen_project")


def project_files(project: Path) -> list[Path]:
    """The project's files, without the bytecode its own tools cache."""
    return sorted(
        path
        for path in project.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def references_to(relative: str) -> re.Pattern:
    """How a remaining file could refer to a pruned path: the path itself, and for
    a Python module its dotted name, its file name and relative imports of it; for a
    folder, its name. A file name inside another folder's path (tests/conftest.py
    for a pruned tests/integration/conftest.py) is another file."""
    path = Path(relative)
    if path.suffix == ".py":
        stem = re.escape(path.stem)
        forms = [
            re.escape(relative),
            re.escape(".".join(path.with_suffix("").parts)),
            rf"(?<![\w/.]){stem}\.py\b",
            rf"from \.{stem} import",
            rf"from \. import {stem}\b",
        ]
    else:
        forms = [re.escape(relative), rf"\b{re.escape(path.name)}\b"]
    return re.compile("|".join(forms))


def test_no_unrendered_jinja_in_any_path_or_file(baked):
    for path in project_files(baked.project_path):
        relative = path.relative_to(baked.project_path)
        # Django's templates, pages and e-mails alike, live under templates/.
        leftover = (
            UNRENDERED_IN_DJANGO_TEMPLATES
            if "templates" in relative.parts
            else UNRENDERED
        )
        assert not UNRENDERED.search(str(relative)), relative
        assert not leftover.search(text_of(path)), relative


def test_pruned_paths_are_gone_and_nothing_refers_to_them(baked):
    pruned = pruning.pruned_paths(baked.context)
    for relative in pruned:
        assert not (baked.project_path / relative).exists(), relative
    for path in project_files(baked.project_path):
        text = text_of(path)
        for relative in pruned:
            match = references_to(relative).search(text)
            assert not match, (
                f"{path.relative_to(baked.project_path)} mentions pruned {relative}: {match[0]!r}"
            )


def test_a_service_layer_exists_exactly_when_chosen(baked):
    """services.py (writes) and selectors.py (reads) in each app with models when the
    service layer is chosen; none without it, where model managers and forms do the
    same work and a second copy would be dead code."""
    package = baked.project_path / baked.context["project_slug"]
    found = {
        path.relative_to(package).as_posix()
        for name in ("services.py", "selectors.py")
        for path in package.glob(f"*/{name}")
    }
    apps = ["users", "blog"] if baked.context["include_example_app"] else ["users"]
    layer = {
        f"{app}/{name}" for app in apps for name in ("services.py", "selectors.py")
    }
    assert found == (layer if baked.context["use_service_layer"] else set())


# What betrays an answer in a project that did not choose it.
MENTIONS = {
    ("cache_backend", "redis"): re.compile(r"redis", re.IGNORECASE),
    ("cache_backend", "memcached"): re.compile(r"pymemcache|\bmemcache", re.IGNORECASE),
    ("database", "postgresql"): re.compile(r"postgres|psycopg", re.IGNORECASE),
}


def test_no_file_mentions_a_backend_the_variant_did_not_choose(baked):
    unchosen = [
        pattern
        for (prompt, answer), pattern in MENTIONS.items()
        if baked.context[prompt] != answer
    ]
    for path in project_files(baked.project_path):
        text = text_of(path)
        for pattern in unchosen:
            match = pattern.search(text)
            assert not match, (
                f"{path.relative_to(baked.project_path)} mentions {match[0]!r}"
            )


def test_no_blank_line_scars_outside_python(baked):
    # ruff format owns blank lines in Python; everywhere else no run of blank
    # lines, no leading blank line, and exactly one newline at the end.
    for path in project_files(baked.project_path):
        if path.suffix == ".py" or path.stat().st_size == 0:
            continue
        text = text_of(path)
        relative = path.relative_to(baked.project_path)
        assert "\n\n\n" not in text, f"{relative} has a run of blank lines"
        assert not text.startswith("\n"), f"{relative} starts with a blank line"
        assert text.endswith("\n") and not text.endswith("\n\n"), (
            f"{relative} does not end in one newline"
        )


def test_readme_headings_each_start_a_block(baked):
    """A heading glued to the line before it (a table row, say) renders as text."""
    lines = text_of(baked.project_path / "README.md").splitlines()
    in_code = False
    for number, (before, line) in enumerate(zip(["", *lines], lines, strict=False), 1):
        if line.startswith("```"):
            in_code = not in_code
        if in_code:
            continue
        assert not re.search(r"[^#\s]\s*#{2,6} ", line), f"README.md:{number}: {line!r}"
        if line.startswith("#") and number > 1:
            assert not before.strip(), f"README.md:{number} follows {before!r}"


def services_used(answers: dict) -> set[str]:
    """The servers a variant runs beside the site, named as compose and CI name them."""
    services = set()
    if answers["database"] == "postgresql":
        services.add("postgres")
    if answers["cache_backend"] in ("redis", "memcached"):
        services.add(answers["cache_backend"])
    return services


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
        expected = set() if tier == "unit" else services_used(baked.context)
        if tier == "integration" and "postgres" in expected:
            expected.add("postgres-replica")  # a standby, for the replica tests
        assert set(job.get("services", {})) == expected, tier
        for name, service in job.get("services", {}).items():
            assert "--health-cmd" in service["options"], name


# gunicorn reads these itself; gunicorn.conf.py documents them.
GUNICORN_OWN_VARIABLES = {"WEB_CONCURRENCY"}


def test_env_example_lists_exactly_the_variables_the_project_reads(baked):
    # bench.py is the benchmark's own switchboard, not deployment settings.
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
    "baked", ids_of_variants_with(test_tiers="unit"), ids=str, indirect=True
)
def test_pytest_xdist_loads_as_pytest_normally_loads_plugins(project, baked):
    """`-n` works with no `-p` to name pytest-xdist. In the other variants the CI
    integration job's `-n auto` proves it (test_generated_ci.py); this variant's CI
    has no job that spreads tests over cores."""
    completed = project.run("python", "-m", "pytest", "-m", "unit", "-n", "2")
    assert_ok(completed)
    assert "2 workers" in completed.stdout, completed.stdout


@pytest.mark.parametrize(
    "baked", ids_of_variants_with(database="postgresql"), ids=str, indirect=True
)
def test_the_postgres_connection_pool_connects_when_switched_on(project, baked):
    probe = "from django.db import connection; connection.ensure_connection(); print(type(connection.pool).__name__)"
    completed = project.manage("shell", "-c", probe, env={"DJANGO_DB_POOL": "true"})
    assert_ok(completed)
    assert completed.stdout.strip().splitlines()[-1] == "ConnectionPool"
