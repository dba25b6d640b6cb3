"""Work leaves the request in production as shipped: a sign-up answers before a
slow mail server would, and the image's task worker, a process of its own, sends
the welcome e-mail through a real SMTP server."""

import secrets

from .production import csrf_token, open_page, sign_up_form


def test_a_sign_up_answers_before_a_slow_mail_server_would(production):
    signup = f"{production.proxy.url}/accounts/signup/"
    visitor = production.visitor()
    password = secrets.token_urlsafe(16)
    token = csrf_token(open_page(visitor, signup)[2])
    form = sign_up_form(token, "unhurried@example.com", password)
    with production.mail.slow():
        status, url, _ = open_page(visitor, signup, form)
        # Sent inside the request, the answer would wait for the server's reply.
        sent_before_the_answer = production.mail.recipients_of(
            ["unhurried@example.com"]
        )

    assert (status, url) == (200, f"{production.proxy.url}/")
    assert sent_before_the_answer == []
    production.mail.wait_for("unhurried@example.com")
