import json

from django.test import RequestFactory

from {{ cookiecutter.project_slug }}.core.views import healthz, readyz


def test_healthz_answers_without_touching_the_database(rf: RequestFactory):
    # Unit tests have no database access: a query here would raise.
    response = healthz(rf.get("/healthz"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}


def test_readyz_answers_503_naming_the_database_when_it_is_unreachable(
    rf: RequestFactory,
):
    # pytest-django blocks the database in unit tests, so the check fails for real.
    response = readyz(rf.get("/readyz"))
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["database"] == "error"


def test_probes_answer_any_host_while_other_pages_refuse_an_unknown_one(client):
    # Kubernetes and load balancers probe with the pod's IP address as the Host.
    probe_host = {"host": "10.1.2.3"}
    assert client.get("/healthz", headers=probe_host).status_code == 200
    assert client.get("/accounts/login/", headers=probe_host).status_code == 400
