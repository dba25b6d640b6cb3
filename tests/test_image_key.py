"""The key the production checks are shared by changes with everything they read
of an image, and with nothing else: variants share a production run only when
their images would hold the same files and install the same packages."""

import re
import shutil

import pytest

from .ci_replay import commit_as_generated
from .generated import environment_for
from .image import build_context, image_key
from .template import DEFAULT_VARIANT


@pytest.fixture(scope="module")
def pushed(bake):
    """The default variant as pushed: its tracked files and uv.lock."""
    baked = bake(DEFAULT_VARIANT)
    environment_for(baked.project_path)  # fills uv's cache for `uv lock`
    return commit_as_generated(baked.project_path)


@pytest.fixture
def checkout(pushed, tmp_path):
    return shutil.copytree(pushed, tmp_path / "checkout", symlinks=True)


def changed(checkout, relative: str, edit) -> bool:
    """Whether editing one file of ``checkout`` changes its image's key."""
    before = image_key(checkout)
    path = checkout / relative
    path.write_text(edit(path.read_text()))
    return image_key(checkout) != before


def test_the_image_holds_the_app_and_not_its_tests_ci_or_docs(checkout):
    context = build_context(checkout)
    assert {"Dockerfile", "manage.py", "pyproject.toml", "uv.lock"} <= set(context)
    assert any(path.startswith("config/settings/") for path in context)
    assert not [
        path
        for path in context
        if path.startswith(("tests/", ".github/", ".git/")) or path == "README.md"
    ]


@pytest.mark.parametrize(
    "relative",
    ["Dockerfile", "config/settings/prod.py", "gunicorn.conf.py", ".dockerignore"],
)
def test_a_change_to_a_file_the_image_holds_changes_the_key(checkout, relative):
    assert changed(checkout, relative, lambda text: text + "\n# changed\n")


def pinned_at_another_version(package: str, lock: str) -> str:
    """``lock`` with ``package`` pinned at another version (its files renamed
    with it: uv refuses a lock whose wheel names another version)."""
    [version] = re.findall(rf'name = "{package}"\nversion = "([^"]+)"', lock)
    lock = lock.replace(
        f'name = "{package}"\nversion = "{version}"',
        f'name = "{package}"\nversion = "{version}.post1"',
    )
    return lock.replace(f"/{package}-{version}", f"/{package}-{version}.post1")


def test_a_change_to_a_production_dependency_changes_the_key(checkout):
    assert changed(
        checkout, "uv.lock", lambda lock: pinned_at_another_version("django", lock)
    )
    assert changed(
        checkout,
        "pyproject.toml",
        lambda text: text.replace(
            '    "whitenoise', '    "brotli~=1.2.0",\n    "whitenoise'
        ),
    )


@pytest.mark.parametrize(
    "relative", ["README.md", "tests/conftest.py", ".github/workflows/ci.yml"]
)
def test_a_change_to_a_file_the_image_leaves_out_keeps_the_key(checkout, relative):
    assert not changed(checkout, relative, lambda text: text + "\n# changed\n")


def test_a_change_to_a_development_dependency_keeps_the_key(checkout):
    assert not changed(
        checkout, "uv.lock", lambda lock: pinned_at_another_version("pytest", lock)
    )
