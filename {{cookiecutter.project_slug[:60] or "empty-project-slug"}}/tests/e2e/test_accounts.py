"""The account journeys a visitor takes, in a real browser against a live server."""

import re

from django.core import mail
from playwright.sync_api import Page, expect

from ..factories import PASSWORD, UserFactory


def sign_up(page: Page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("E-mail address").fill(email)
    # Django's labels end in a colon: "Password:" is the first field only.
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation:").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def test_sign_up_lands_logged_in_with_a_welcome_email(
    page: Page, live_server, run_queued_tasks
):
    sign_up(page, live_server, "Newcomer@Example.com")

    welcome = page.get_by_role("heading", name="Welcome, newcomer@example.com")
    expect(welcome).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    run_queued_tasks()
    assert [message.to for message in mail.outbox] == [["newcomer@example.com"]]


def test_a_taken_address_is_refused_with_a_message(page: Page, live_server):
    UserFactory.create(email="taken@example.com")

    sign_up(page, live_server, "taken@example.com")

    expect(page.get_by_text(re.compile("already exists"))).to_be_visible()
    expect(page).to_have_url(re.compile("/accounts/signup/$"))


def test_log_out_then_log_in_again(page: Page, live_server):
    user = UserFactory.create(email="regular@example.com")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("regular@example.com").first).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in = page.get_by_role("link", name="Log in", exact=True)
    expect(log_in).to_be_visible()

    log_in.click()
    page.get_by_label("E-mail address").fill("Regular@Example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    welcome = page.get_by_role("heading", name="Welcome, regular@example.com")
    expect(welcome).to_be_visible()


def test_a_forgotten_password_is_reset_by_the_link_in_the_email(
    page: Page, live_server, run_queued_tasks
):
    UserFactory.create(email="forgetful@example.com")
    new_password = "a new and long enough passphrase"
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Reset it").click()
    page.get_by_label("Email").fill("forgetful@example.com")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    run_queued_tasks()
    [message] = mail.outbox
    [link] = re.findall(r"https?://\S+/accounts/reset/\S+/", str(message.body))
    page.goto(link)
    page.get_by_label("New password:", exact=True).fill(new_password)
    page.get_by_label("New password confirmation:").fill(new_password)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Password set")).to_be_visible()

    page.get_by_role("link", name="log in", exact=True).click()
    page.get_by_label("E-mail address").fill("forgetful@example.com")
    page.get_by_label("Password:", exact=True).fill(new_password)
    page.get_by_role("button", name="Log in").click()
    welcome = page.get_by_role("heading", name="Welcome, forgetful@example.com")
    expect(welcome).to_be_visible()
