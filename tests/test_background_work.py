"""Work leaves the request in production as shipped: a sign-up answers before a
slow mail server would, and the image's task worker, a process of its own, sends
the welcome e-mail through a real SMTP server."""

import secrets
import time

from .production import csrf_token, open_page, sign_up_form

# How long the mail server takes to accept a message, as a slow provider does.
SLOW_MAIL_SECONDS = 2


def test_a_sign_up_answers_before_a_slow_mail_server_would(production):
    signup = f"{production.proxy.url}/accounts/signup/"
    visitor = production.visitor()
    password = secrets.token_urlsafe(16)
    token = csrf_token(open_page(visitor, signup)[2])
    form = sign_up_form(token, "unhurried@example.com", password)
    production.mail.delay = SLOW_MAIL_SECONDS
    try:
        started = time.monotonic()
        status, url, _ = open_page(visitor, signup, form)
        answered_in = time.monotonic() - started

        assert (status, url) == (200, f"{production.proxy.url}/")
        assert answered_in < SLOW_MAIL_SECONDS, answered_in
        production.mail.wait_for("unhurried@example.com")
    finally:
        production.mail.delay = 0
