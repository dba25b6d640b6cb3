"""Work that leaves the request: django.tasks, run by `manage.py db_worker`.

Tasks take ids, not instances: the queue stores their arguments as JSON.
"""

import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User
{%- if cookiecutter.use_service_layer %}
from .selectors import user_get
{%- endif %}

# A welcome e-mail the mail server refuses is tried again later, each wait twice
# the one before (1, 2, 4 and 8 minutes), then given up.
WELCOME_ATTEMPTS = 5
FIRST_RETRY_AFTER = timedelta(minutes=1)


def welcome_email(*, to: str) -> EmailMessage:
    return EmailMessage(
        subject=f"Welcome to {settings.PROJECT_NAME}",
        body="Thanks for signing up. You can log in any time with this e-mail address.\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )


@task
def send_welcome_email(*, user_id: int, attempt: int = 1) -> None:
    """Send the welcome e-mail, once. The account is marked before the send, so a
    second task for it finds it welcomed and sends nothing; a failed send clears
    the mark and queues a later attempt. Each failure is recorded (the admin's Task
    Results), and the account it welcomes stays."""
    unwelcomed = User.objects.filter(pk=user_id, welcomed_at=None)
    if not unwelcomed.update(welcomed_at=timezone.now()):
        return
{%- if cookiecutter.use_service_layer %}
    user = user_get(user_id=user_id)
{%- else %}
    user = User.objects.only("email").get(pk=user_id)
{%- endif %}
    try:
        welcome_email(to=user.email).send()
    except (OSError, smtplib.SMTPException):
        User.objects.filter(pk=user_id).update(welcomed_at=None)
        if attempt < WELCOME_ATTEMPTS:
            wait = FIRST_RETRY_AFTER * 2 ** (attempt - 1)
            send_welcome_email.using(run_after=timezone.now() + wait).enqueue(
                user_id=user_id, attempt=attempt + 1
            )
        raise


@task
def send_password_reset_email(*, user_id: int, domain: str, protocol: str) -> None:
    """Send a link that sets a new password. The token is made here, in the worker,
    so the queue stores no secret; it stops working once the password changes."""
    user = User.objects.get(pk=user_id)
    context = {
        "email": user.email,
        "domain": domain,
        "protocol": protocol,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "project_name": settings.PROJECT_NAME,
    }
    subject = render_to_string("registration/password_reset_subject.txt", context)
    EmailMessage(
        subject="".join(subject.splitlines()),
        body=render_to_string("registration/password_reset_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    ).send()
