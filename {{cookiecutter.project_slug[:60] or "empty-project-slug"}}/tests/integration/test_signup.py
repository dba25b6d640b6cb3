import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from {{ cookiecutter.project_slug }}.users.models import User

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_up(client, email: str, password: str = PASSWORD, confirmation: str = PASSWORD):
    return client.post(
        reverse("signup"),
        {"email": email, "password1": password, "password2": confirmation},
    )


@pytest.mark.django_db(transaction=True)
def test_signup_creates_the_account_logs_it_in_and_the_worker_welcomes_it(
    client, run_queued_tasks, settings
):
    response = sign_up(client, "New.Person@Example.com")

    assert response.status_code == 302
    assert response.url == reverse("home")
    user = User.objects.get(email="new.person@example.com")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert mail.outbox == []  # the request only queued the e-mail
    run_queued_tasks()
    assert [message.to for message in mail.outbox] == [["new.person@example.com"]]
    assert mail.outbox[0].subject == f"Welcome to {settings.PROJECT_NAME}"


def test_welcome_email_is_queued_by_id_once_the_transaction_commits(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        sign_up(client, "patient@example.com")
        assert not DBTaskResult.objects.exists()

    assert len(callbacks) == 1
    callbacks[0]()
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith(".send_welcome_email")
    user = User.objects.get(email="patient@example.com")
    assert queued.args_kwargs == {"args": [], "kwargs": {"user_id": user.pk}}


def test_signup_refuses_an_address_already_registered_in_another_case(client):
    UserFactory.create(email="taken@example.com")

    response = sign_up(client, "Taken@Example.com")

    assert response.status_code == 200
    assert "already exists" in response.text
    assert User.objects.count() == 1


def test_signup_that_loses_the_race_for_its_address_is_refused_not_an_error(
    client, monkeypatch
):
    """Another request takes the address between the uniqueness check and the
    insert: the unique index refuses it, and the form says so."""
    check = User.validate_unique

    def check_then_lose_the_race(user, *args, **kwargs):
        check(user, *args, **kwargs)
        monkeypatch.setattr(User, "validate_unique", check)
        UserFactory.create(email="racer@example.com")

    monkeypatch.setattr(User, "validate_unique", check_then_lose_the_race)

    response = sign_up(client, "Racer@Example.com")

    assert response.status_code == 200
    assert "already exists" in response.text
    assert User.objects.count() == 1


def test_signup_refuses_mismatched_passwords(client):
    response = sign_up(client, "typo@example.com", confirmation="something else 123")

    assert response.status_code == 200
    assert "didn’t match" in response.text
    assert not User.objects.exists()
