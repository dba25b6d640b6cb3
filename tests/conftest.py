import pytest

from .generated import Project, environment_for
from .template import ROOT, VARIANTS, variant_id


@pytest.fixture(scope="session")
def bake(cookies_session):
    """Bake the template with the given answers; fail unless it baked cleanly."""

    def bake(answers: dict):
        result = cookies_session.bake(extra_context=answers, template=str(ROOT))
        assert result.exception is None, result.exception
        assert result.exit_code == 0
        # pytest-cookies silently drops unknown keys: prove every answer was used.
        for name, value in answers.items():
            assert result.context[name] == value, name
        return result

    return bake


@pytest.fixture(scope="session", params=VARIANTS, ids=variant_id)
def baked(request, bake):
    """One baked project per variant of cookiecutter.json, shared by its checks."""
    result = bake(request.param)
    result.variant = request.param
    return result


@pytest.fixture(scope="session")
def project(baked) -> Project:
    """The baked variant with an environment built from its own pyproject.toml."""
    return Project(path=baked.project_path, venv=environment_for(baked.project_path))
