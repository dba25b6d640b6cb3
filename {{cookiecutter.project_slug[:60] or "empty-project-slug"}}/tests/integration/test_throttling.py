import time
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from {{ cookiecutter.project_slug }}.users.models import User

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PER_ADDRESS, PER_ACCOUNT = 4, 2


@pytest.fixture(autouse=True)
def limits(settings, time_machine) -> None:
    settings.AUTH_THROTTLE = {
        action: {"per_ip": PER_ADDRESS, "per_account": PER_ACCOUNT}
        for action in ("login", "signup", "password_reset")
    }
    # Attempts are counted in fixed windows: each test starts as the next window
    # opens, so its attempts never straddle a window's end and count in two.
    window = settings.AUTH_THROTTLE_WINDOW
    next_window = (int(time.time()) // window + 1) * window
    time_machine.move_to(datetime.fromtimestamp(next_window, UTC))


def log_in(client: Client, email: str, password: str = "wrong", **extra):
    form = {"username": email, "password": password}
    return client.post(reverse("login"), form, **extra)


def sign_up(client: Client, email: str, **extra):
    form = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("signup"), form, **extra)


def reset(client: Client, email: str, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def test_an_account_that_failed_too_often_is_refused_even_the_right_password(
    client, settings
):
    user = UserFactory.create()
    for _ in range(PER_ACCOUNT):
        assert log_in(client, user.email).status_code == 200  # the form's error

    response = log_in(client, user.email, PASSWORD)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.AUTH_THROTTLE_WINDOW
    assert "Too many attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_whoever_exhausts_an_accounts_logins_cannot_lock_its_owner_out(client):
    user, attacker, owner = UserFactory.create(), "203.0.113.66", "192.0.2.7"
    for _ in range(PER_ACCOUNT):
        log_in(client, user.email, REMOTE_ADDR=attacker)

    assert log_in(client, user.email, PASSWORD, REMOTE_ADDR=owner).status_code == 302
    assert log_in(Client(), user.email, REMOTE_ADDR=attacker).status_code == 429


def test_reset_requests_for_one_account_past_its_limit_are_refused_from_anywhere(
    client,
):
    user = UserFactory.create()
    for number in range(PER_ACCOUNT):
        sent = reset(client, user.email, REMOTE_ADDR=f"192.0.2.{number}")
        assert sent.headers["Location"] == reverse("password_reset_done")

    response = reset(client, user.email.upper(), REMOTE_ADDR="192.0.2.99")

    assert response.status_code == 429 and "Retry-After" in response


def test_reset_requests_from_one_address_past_its_limit_are_refused(client):
    for number in range(PER_ADDRESS):
        assert reset(client, f"someone{number}@example.com").status_code == 302

    assert reset(client, "one-more@example.com").status_code == 429
    elsewhere = reset(client, "one-more@example.com", REMOTE_ADDR="192.0.2.7")
    assert elsewhere.status_code == 302


def test_a_locked_account_leaves_other_accounts_from_the_same_address_alone(client):
    locked, other = UserFactory.create(), UserFactory.create()
    for _ in range(PER_ACCOUNT):
        log_in(client, locked.email)

    assert log_in(client, other.email, PASSWORD).status_code == 302


def test_successful_logins_do_not_count(client):
    user = UserFactory.create()
    for _ in range(PER_ADDRESS + 1):
        assert log_in(client, user.email, PASSWORD).status_code == 302
        client.logout()

    assert log_in(client, user.email).status_code == 200


def test_an_address_guessing_across_accounts_is_refused_and_others_are_not(client):
    for number in range(PER_ADDRESS):
        assert log_in(client, f"guess{number}@example.com").status_code == 200

    refused = log_in(client, "one-more@example.com")
    elsewhere = log_in(client, "one-more@example.com", REMOTE_ADDR="192.0.2.7")
    assert (refused.status_code, elsewhere.status_code) == (429, 200)


def test_behind_a_proxy_each_client_counts_by_the_address_the_proxy_saw(
    client, settings
):
    settings.TRUSTED_PROXIES = 1
    for number in range(PER_ADDRESS):
        spoofed = f"10.9.9.{number}, 198.51.100.4"  # the client wrote the first entry
        log_in(client, f"guess{number}@example.com", HTTP_X_FORWARDED_FOR=spoofed)

    refused = log_in(client, "next@example.com", HTTP_X_FORWARDED_FOR="198.51.100.4")
    another = log_in(client, "next@example.com", HTTP_X_FORWARDED_FOR="198.51.100.5")
    assert (refused.status_code, another.status_code) == (429, 200)


def test_sign_ups_from_one_address_past_its_limit_are_refused(client):
    for number in range(PER_ADDRESS):
        assert sign_up(client, f"new{number}@example.com").status_code == 302
        client.logout()

    response = sign_up(client, "one-too-many@example.com")

    assert response.status_code == 429 and "Retry-After" in response
    assert not User.objects.filter(email="one-too-many@example.com").exists()


def test_one_email_address_submitted_past_its_limit_is_refused(client):
    for number in range(PER_ACCOUNT):
        sign_up(client, "taken@example.com", REMOTE_ADDR=f"192.0.2.{number}")
        client.logout()

    response = sign_up(client, "Taken@Example.com", REMOTE_ADDR="192.0.2.99")

    assert response.status_code == 429
