"""Refuse answers that would bake a broken project, with one sentence saying why.

Cookiecutter renders this file with Jinja before running it; the answers arrive as
one JSON blob so the module stays importable (and testable) before rendering.
"""

import sys

if __name__ == "__main__" and not sys.flags.safe_path:
    # Cookiecutter runs this file from the system temp directory, and Python looks
    # for a script's imports in its directory first: a json.py that anyone left
    # there would run instead of the standard library's. Look only where Python
    # itself installed modules (which also spares a crowded /tmp a listing).
    del sys.path[0]

import json
import keyword
import re
import unicodedata
import zoneinfo

ANSWERS = r"""{{ cookiecutter | jsonify }}"""

SLUG_PATTERN = re.compile(r"[a-z_][a-z0-9_]*")
# The template directory is named with the slug cut to this length (or a stand-in
# when empty), so a slug too long or empty for a directory still reaches this hook.
SLUG_MAX_LENGTH = 60
# A hostname: dot-separated labels of ASCII letters, digits and inner hyphens.
LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
DOMAIN_PATTERN = re.compile(rf"{LABEL}(\.{LABEL})*")
DOMAIN_MAX_LENGTH = 253
# An address as people write one: a local part, an @ and a domain with a dot.
EMAIL_PATTERN = re.compile(r"""[^@\s"<>(),;:\\\[\]]+@(?P<domain>[^@\s]+\.[^@\s]+)""")
# PEP 440 public versions in normal form: 1.0, 2026.11.0, 1.0rc1, 1.0.post1.dev2.
NUMBER = r"(0|[1-9][0-9]*)"
VERSION_PATTERN = re.compile(
    rf"{NUMBER}(\.{NUMBER})*((a|b|rc){NUMBER})?(\.post{NUMBER})?(\.dev{NUMBER})?"
)

# CPython ships its regression-test package "test" but leaves it out of this list.
STDLIB_MODULES = sys.stdlib_module_names | {"test"}
# Top-level names a generated project imports or defines itself; a slug equal to
# one of them would shadow it.
PROJECT_MODULES = {"blog", "config", "core", "manage", "tests", "users"}
# Every top-level module that some variant installs, its dev group and the
# dependencies of its dependencies included: a project may change its answers
# later, so a slug must shadow none of them. The template's tests check each
# variant's environment against this set.
DEPENDENCY_MODULES = {
    "_argon2_cffi_bindings",
    "_cffi_backend",
    "_pytest",
    "_time_machine",
    "_yaml",
    "aiosmtpd",
    "argon2",
    "asgiref",
    "ast_serialize",
    "attr",
    "attrs",
    "certifi",
    "cffi",
    "cfgv",
    "coverage",
    "debug_toolbar",
    "distlib",
    "django",
    "django_redis",
    "django_stubs_ext",
    "django_tasks_db",
    "environ",
    "execnet",
    "factory",
    "faker",
    "filelock",
    "greenlet",
    "gunicorn",
    "identify",
    "iniconfig",
    "librt",
    "mypy",
    "mypy_django_plugin",
    "mypy_extensions",
    "mypyc",
    "nodeenv",
    "packaging",
    "pathspec",
    "platformdirs",
    "playwright",
    "pluggy",
    "pre_commit",
    "psycopg",
    "psycopg_binary",
    "psycopg_pool",
    "public",
    "py",
    "pycparser",
    "pygments",
    "pymemcache",
    "pytest",
    "pytest_cov",
    "pytest_django",
    "pytest_playwright",
    "python_discovery",
    "redis",
    "ruff",
    "sentry_sdk",
    "slugify",
    "sqlparse",
    "structlog",
    "text_unidecode",
    "time_machine",
    "typing_extensions",
    "urllib3",
    "virtualenv",
    "whitenoise",
    "xdist",
    "yaml",
}


def slug_problem(slug: str) -> str | None:
    """Return why ``slug`` cannot name the project's package, or None if it can."""
    if not slug:
        return "is empty: answer it with a lowercase Python identifier such as my_shop"
    if not SLUG_PATTERN.fullmatch(slug):
        return (
            "must be a lowercase Python identifier: ASCII letters, digits and "
            "underscores, not starting with a digit"
        )
    if len(slug) > SLUG_MAX_LENGTH:
        return f"is longer than {SLUG_MAX_LENGTH} characters"
    if keyword.iskeyword(slug) or keyword.issoftkeyword(slug):
        return "is a Python keyword"
    if slug in STDLIB_MODULES:
        return "would shadow the standard-library module of that name"
    if slug in PROJECT_MODULES | DEPENDENCY_MODULES:
        return "would shadow a module the generated project imports"
    return None


def project_name_problem(name: str) -> str | None:
    if not name.strip():
        return "is empty: the project needs a name to show"
    return None


def email_problem(email: str) -> str | None:
    match = EMAIL_PATTERN.fullmatch(email)
    if not match or domain_problem(match["domain"]):
        return "is not an e-mail address such as you@example.com"
    return None


def domain_problem(domain: str) -> str | None:
    if len(domain) > DOMAIN_MAX_LENGTH or not DOMAIN_PATTERN.fullmatch(domain):
        return (
            "is not a domain name such as example.com (no scheme, path or port; "
            "international names in their xn-- form)"
        )
    return None


def version_problem(version: str) -> str | None:
    if not VERSION_PATTERN.fullmatch(version):
        return "is not a PEP 440 version in normal form such as 0.1.0 or 1.0rc1"
    return None


def timezone_problem(timezone: str) -> str | None:
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "is not an IANA time zone such as UTC or Europe/Paris"
    return None


# Every free-text prompt in prompt order, with its rule beyond being one line;
# the first problem found is the one reported.
RULES = {
    "project_name": project_name_problem,
    "project_slug": slug_problem,
    "description": None,
    "author_name": None,
    "email": email_problem,
    "domain_name": domain_problem,
    "version": version_problem,
    "timezone": timezone_problem,
}


def control_character_problem(value: str) -> str | None:
    """Line breaks, tabs and other control characters break one-line metadata."""
    if any(unicodedata.category(character) == "Cc" for character in value):
        return "must be one line, without line breaks, tabs or other control characters"
    return None


def shown(value: str, limit: int = 60) -> str:
    """The answer as the message quotes it: repr, cut short if very long."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}… ({len(value)} characters)"


def answer_problem(answers: dict) -> str | None:
    """The first refused answer as one sentence, or None if all can be baked."""
    for name, rule in RULES.items():
        if name not in answers:
            continue
        value = answers[name]
        problem = control_character_problem(value) or (rule and rule(value))
        if problem:
            return f"{name} {shown(value)} {problem}."
    return None


def main(answers: dict) -> int:
    problem = answer_problem(answers)
    if problem:
        print(f"ERROR: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(ANSWERS)))
