"""Prune what was not chosen, write the untracked .env, say what to do next.

Pruning is data: NEEDED_BY maps each answer to the paths only it needs. The
template's tests read the same manifest to check nothing refers to a removed path.
"""

import sys

if __name__ == "__main__" and not sys.flags.safe_path:
    # As in pre_gen_project.py: not the temp directory cookiecutter runs us from.
    del sys.path[0]

# os.path rather than pathlib, os.urandom rather than secrets: importing those two
# (and the urllib and hashlib they pull in) took 10 of this hook's 35 ms.
import base64
import json
import os
import shutil

ANSWERS = r"""{{ cookiecutter | jsonify }}"""

# prompt -> answer -> the paths that answer needs (relative to the project,
# "{slug}" for the package). A path no chosen answer needs is removed.
NEEDED_BY = {
    "use_service_layer": {
        True: [
            "{slug}/users/services.py",
            "{slug}/users/selectors.py",
            "{slug}/blog/services.py",
            "{slug}/blog/selectors.py",
            "tests/integration/test_services.py",
        ],
    },
    "cache_backend": {
        "redis": [
            "tests/integration/conftest.py",
            "tests/integration/test_cache_outage.py",
        ],
        "memcached": [
            "{slug}/core/cache.py",
            "tests/integration/conftest.py",
            "tests/integration/test_cache_outage.py",
            "tests/integration/test_memcached_threads.py",
        ],
        "database": [
            "{slug}/core/migrations/0001_create_cache_table.py",
            "{slug}/users/migrations/0004_attemptcount.py",
        ],
        # The tables that hold what every process shares: base.py's CACHES, and
        # the login and sign-up counts (users/throttling.py).
        "locmem": [
            "{slug}/core/migrations/0001_create_cache_table.py",
            "{slug}/users/migrations/0004_attemptcount.py",
        ],
        "none": ["{slug}/users/migrations/0004_attemptcount.py"],
    },
    "database": {
        "postgresql": [
            "{slug}/core/replicas.py",
            "tests/unit/test_replicas.py",
            "tests/integration/test_replicas.py",
        ],
    },
    "test_tiers": {
        "unit+integration": ["tests/integration", "tests/factories.py"],
        "unit+integration+e2e": [
            "tests/integration",
            "tests/e2e",
            "tests/factories.py",
        ],
    },
    "include_example_app": {
        True: [
            "{slug}/blog",
            "{slug}/templates/blog",
            "{slug}/bench/management/commands/bench.py",
            "{slug}/bench/loadgen.py",
            "{slug}/bench/seed.py",
            "{slug}/bench/settings.py",
            "tests/integration/blog.py",
            "tests/integration/test_blog_queries.py",
            "tests/integration/test_blog_caching.py",
            "tests/integration/test_blog_edits.py",
            "tests/integration/test_blog_privacy.py",
            "tests/e2e/test_blog.py",
            "tests/unit/test_blog.py",
        ],
    },
}


# The backing services, one row each: the answer that needs it, its name in
# compose.yaml and CI, the variable the project reads its address from, and the
# pattern that finds a mention of it (no file of a variant without it may match).
# "ci" marks a service only CI's integration job runs. The template's tests read
# this table too: adding a backend that needs a server is a row here.
BACKING_SERVICES = {
    "postgres": {
        "answer": ("database", "postgresql"),
        "variable": "DATABASE_URL",
        "mentions": r"postgres|psycopg",
    },
    "postgres-replica": {
        "answer": ("database", "postgresql"),
        "variable": "DATABASE_REPLICA_URL",
        "mentions": r"postgres|psycopg",
        "ci": True,
    },
    "redis": {
        "answer": ("cache_backend", "redis"),
        "variable": "REDIS_URL",
        "mentions": r"redis",
    },
    "memcached": {
        "answer": ("cache_backend", "memcached"),
        "variable": "MEMCACHED_URL",
        "mentions": r"pymemcache|\bmemcache",
    },
}


def services_for(answers: dict, *, ci: bool = False) -> list[str]:
    """The services the answers need beside the site (with ``ci``, those CI's
    integration job runs too), in the table's order."""
    return [
        name
        for name, row in BACKING_SERVICES.items()
        if answers[row["answer"][0]] == row["answer"][1] and (ci or not row.get("ci"))
    ]


def pruned_paths(answers: dict) -> list[str]:
    """The project-relative paths that no answer given needs."""
    pruned = []
    for prompt, needs in NEEDED_BY.items():
        kept = needs.get(answers[prompt], [])
        for paths in needs.values():
            pruned += [
                path for path in paths if path not in kept and path not in pruned
            ]
    return [path.format(slug=answers["project_slug"]) for path in pruned]


def prune(project: str, answers: dict) -> None:
    for relative in pruned_paths(answers):
        path = os.path.join(project, relative)
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)


def url_safe_token(length: int) -> str:
    """``length`` random bytes from the OS's CSPRNG, URL-safe base64 without
    padding: what secrets.token_urlsafe returns."""
    return base64.urlsafe_b64encode(os.urandom(length)).rstrip(b"=").decode()


def write_env(project: str) -> None:
    """.env from .env.example with a per-project secret, URL-safe so it needs no
    quoting; git-ignored. An existing .env (a bake with --overwrite-if-exists)
    is the user's and is kept."""
    env_file = os.path.join(project, ".env")
    if os.path.exists(env_file):
        return
    fresh = {"DJANGO_SECRET_KEY": url_safe_token(50)}
    with open(os.path.join(project, ".env.example"), encoding="utf-8") as example:
        example_lines = example.read().splitlines()
    lines = []
    for line in example_lines:
        if not line or line.startswith("#"):
            continue
        name = line.partition("=")[0]
        lines.append(f"{name}={fresh[name]}" if name in fresh else line)
    with open(env_file, "w", encoding="utf-8") as env:
        env.write("\n".join(lines) + "\n")


def next_steps(name: str, answers: dict) -> list[str]:
    """The commands from a fresh project to a running site and a passing suite."""
    services = services_for(answers)
    start = [f"docker compose up -d {' '.join(services)}"] if services else []
    return [
        f"cd {name}",
        *start,
        "uv run manage.py migrate",
        "uv run manage.py runserver",
        "uv run pytest",
    ]


def main(answers: dict) -> int:
    project = os.getcwd()
    prune(project, answers)
    write_env(project)
    name = os.path.basename(project)
    steps = "".join(f"  {step}\n" for step in next_steps(name, answers))
    print(f"\nCreated {name}. Next:\n{steps}")
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(ANSWERS)))
