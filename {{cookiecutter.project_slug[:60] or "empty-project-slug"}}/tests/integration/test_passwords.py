"""Password change, and password reset by e-mail through the task worker, with
Django's own views and the project's pages."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a new and long enough passphrase"


def reset_link(message: mail.EmailMessage) -> str:
    [link] = re.findall(r"https?://testserver(/accounts/reset/\S+/)", str(message.body))
    return link


def test_a_member_changes_their_password_and_stays_logged_in(client: Client):
    user = UserFactory.create()
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.headers["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.email in client.get(reverse("home")).text


# The worker checks its connection as a process of its own would: outside a
# test's transaction.
@pytest.mark.django_db(transaction=True)
def test_a_reset_link_arrives_through_the_worker_and_sets_a_new_password(
    client: Client, run_queued_tasks
):
    user = UserFactory.create(email="forgetful@example.com")

    response = client.post(
        reverse("password_reset"), {"email": "Forgetful@Example.com"}
    )

    assert response.headers["Location"] == reverse("password_reset_done")
    assert mail.outbox == []  # the request did not wait on the mail server
    run_queued_tasks()
    [message] = mail.outbox
    assert message.to == ["forgetful@example.com"]
    form = client.get(reverse_link := reset_link(message), follow=True)
    assert "Set a new password" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.headers["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once.
    assert "no longer works" in client.get(reverse_link, follow=True).text


@pytest.mark.django_db(transaction=True)
def test_the_reset_page_never_says_whether_an_address_has_an_account(
    run_queued_tasks,
):
    UserFactory.create(email="member@example.com")
    answers = []
    for email in ("member@example.com", "stranger@example.com"):
        response = Client().post(
            reverse("password_reset"), {"email": email}, follow=True
        )
        answers.append((response.redirect_chain, response.text))

    assert answers[0] == answers[1]
    run_queued_tasks()
    assert [message.to for message in mail.outbox] == [["member@example.com"]]
