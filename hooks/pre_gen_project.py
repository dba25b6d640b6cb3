"""Refuse answers that would bake a broken project, with one sentence saying why.

Cookiecutter renders this file with Jinja before running it; the answers arrive as
one JSON blob so the module stays importable (and testable) before rendering.
"""

import json
import keyword
import re
import sys

ANSWERS = r"""{{ cookiecutter | jsonify }}"""

SLUG_PATTERN = re.compile(r"[a-z_][a-z0-9_]*")

# CPython ships its regression-test package "test" but leaves it out of this list.
STDLIB_MODULES = sys.stdlib_module_names | {"test"}
# Top-level names a generated project imports or defines itself; a slug equal to
# one of them would shadow it.
PROJECT_MODULES = {"blog", "config", "core", "manage", "tests", "users"}
DEPENDENCY_MODULES = {
    "django",
    "environ",
    "factory",
    "gunicorn",
    "pytest",
    "django_redis",
    "psycopg",
    "pymemcache",
    "pytest_django",
    "redis",
    "ruff",
    "whitenoise",
}


def slug_problem(slug: str) -> str | None:
    """Return why ``slug`` cannot name the project's package, or None if it can."""
    if not SLUG_PATTERN.fullmatch(slug):
        return (
            "must be a lowercase Python identifier: ASCII letters, digits and "
            "underscores, not starting with a digit"
        )
    if keyword.iskeyword(slug) or keyword.issoftkeyword(slug):
        return "is a Python keyword"
    if slug in STDLIB_MODULES:
        return "would shadow the standard-library module of that name"
    if slug in PROJECT_MODULES | DEPENDENCY_MODULES:
        return "would shadow a module the generated project imports"
    return None


def main(answers: dict) -> int:
    slug = answers["project_slug"]
    problem = slug_problem(slug)
    if problem:
        print(f"ERROR: project_slug {slug!r} {problem}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(ANSWERS)))
