"""Prune what was not chosen, write the untracked .env, say what to do next.

Pruning is data: NEEDED_BY maps each answer to the paths only it needs. The
template's tests read the same manifest to check nothing refers to a removed path.
"""

import sys

if __name__ == "__main__" and not sys.flags.safe_path:
    # As in pre_gen_project.py: not the temp directory cookiecutter runs us from.
    del sys.path[0]

import json
import secrets
import shutil
from pathlib import Path

ANSWERS = r"""{{ cookiecutter | jsonify }}"""

# prompt -> answer -> the paths that answer needs (relative to the project,
# "{slug}" for the package). A path no chosen answer needs is removed.
NEEDED_BY = {
    "use_service_layer": {
        True: [
            "{slug}/users/services.py",
            "{slug}/users/selectors.py",
            "tests/integration/test_services.py",
        ],
    },
    "cache_backend": {
        "redis": ["tests/integration/test_cache_outage.py"],
        "memcached": [
            "{slug}/core/cache.py",
            "tests/integration/test_cache_outage.py",
        ],
        "database": ["{slug}/core/migrations/0001_create_cache_table.py"],
    },
    "test_tiers": {
        "unit+integration": ["tests/integration"],
        "unit+integration+e2e": ["tests/integration", "tests/e2e"],
    },
    "include_example_app": {
        True: [
            "{slug}/blog",
            "{slug}/templates/blog",
            "config/settings/bench.py",
            "tests/integration/blog.py",
            "tests/integration/test_blog_queries.py",
            "tests/integration/test_blog_caching.py",
            "tests/e2e/test_blog.py",
            "tests/unit/test_blog.py",
        ],
    },
}


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


def prune(project: Path, answers: dict) -> None:
    for relative in pruned_paths(answers):
        path = project / relative
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def write_env(project: Path) -> None:
    """.env from .env.example with a per-project secret and admin URL, both
    URL-safe so they need no quoting; git-ignored. An existing .env (a bake
    with --overwrite-if-exists) is the user's and is kept."""
    env_file = project / ".env"
    if env_file.exists():
        return
    fresh = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ADMIN_URL": f"{secrets.token_urlsafe(12)}/",
    }
    lines = []
    for line in (project / ".env.example").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name = line.partition("=")[0]
        lines.append(f"{name}={fresh[name]}" if name in fresh else line)
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(answers: dict) -> int:
    project = Path.cwd()
    prune(project, answers)
    write_env(project)
    print(
        f"\nCreated {project.name}. Next:\n"
        f"  cd {project.name}\n"
        "  uv run manage.py migrate\n"
        "  uv run manage.py runserver\n"
        "  uv run pytest\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(ANSWERS)))
