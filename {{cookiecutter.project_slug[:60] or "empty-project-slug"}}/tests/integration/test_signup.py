import logging
import socket

import pytest
from django.core import mail
from django.urls import reverse

from {{ cookiecutter.project_slug }}.users.models import User

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_up(client, email: str, password: str = PASSWORD, confirmation: str = PASSWORD):
    return client.post(
        reverse("signup"),
        {"email": email, "password1": password, "password2": confirmation},
    )


def test_signup_creates_the_account_logs_it_in_and_sends_the_welcome_email(
    client, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "New.Person@Example.com")

    assert response.status_code == 302
    assert response.url == reverse("home")
    user = User.objects.get(email="new.person@example.com")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert [message.to for message in mail.outbox] == [["new.person@example.com"]]
    assert mail.outbox[0].subject == f"Welcome to {settings.PROJECT_NAME}"


def test_welcome_email_waits_for_the_transaction_to_commit(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        sign_up(client, "patient@example.com")
        assert mail.outbox == []

    assert len(callbacks) == 1
    callbacks[0]()
    assert [message.to for message in mail.outbox] == [["patient@example.com"]]


def test_signup_refuses_an_address_already_registered_in_another_case(client):
    UserFactory(email="taken@example.com")

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
        UserFactory(email="racer@example.com")

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


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_failed_welcome_email_keeps_the_account_and_logs_the_error(
    client, django_capture_on_commit_callbacks, settings, caplog
):
    # A real SMTP connection to a port nobody listens on: the send fails for real.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": unused_port()},
        }
    }

    with caplog.at_level(logging.ERROR, logger="django.tasks"):
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_up(client, "unlucky@example.com")

    assert response.status_code == 302
    assert User.objects.filter(email="unlucky@example.com").exists()
    [failure] = [record for record in caplog.records if record.name == "django.tasks"]
    assert "send_welcome_email" in failure.getMessage()
    assert "FAILED" in failure.getMessage()
    assert isinstance(failure.exc_info[1], ConnectionRefusedError)
