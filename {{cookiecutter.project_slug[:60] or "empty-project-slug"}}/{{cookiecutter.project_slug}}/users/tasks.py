"""Work that leaves the request: django.tasks, run by `manage.py db_worker`.

Tasks take ids, not instances: the queue stores their arguments as JSON.
"""

import logging
import smtplib
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.tasks import TaskContext, task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User
{%- if cookiecutter.use_service_layer %}
from .selectors import user_get
{%- endif %}

logger = logging.getLogger(__name__)

# A welcome e-mail the mail server refuses is tried again later, each wait twice
# the one before (1, 2, 4 and 8 minutes), then given up.
WELCOME_ATTEMPTS = 5
FIRST_RETRY_AFTER = timedelta(minutes=1)


def message_id(name: str) -> str:
    """A Message-ID that names one e-mail whichever worker sends it, however often:
    a send repeated after a worker died is recognisably the same message."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return f"<{name}@{domain}>"


def welcome_email(*, user: User) -> EmailMessage:
    return EmailMessage(
        subject=f"Welcome to {settings.PROJECT_NAME}",
        body="Thanks for signing up. You can log in any time with this e-mail address.\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Message-ID": message_id(f"welcome.{user.pk}")},
    )


@task
def send_welcome_email(*, user_id: int, attempt: int = 1) -> None:
    """Send the welcome e-mail to an account not yet welcomed, then record it.

    Recorded after the send, it is never lost: a worker that dies first leaves the
    task to run again (core/abandoned_tasks.py). It can then arrive twice only if
    the worker died between the mail server taking it and the record, and both
    copies carry one Message-ID. A refused send is tried again later, and only the
    last refusal fails the task (the admin's Task Results keep its traceback).
    """
{%- if cookiecutter.use_service_layer %}
    user = user_get(user_id=user_id)
{%- else %}
    user = User.objects.only("email", "welcomed_at").get(pk=user_id)
{%- endif %}
    if user.welcomed_at is not None:
        return
    try:
        welcome_email(user=user).send()
    except (OSError, smtplib.SMTPException):
        if attempt == WELCOME_ATTEMPTS:
            raise
        wait = FIRST_RETRY_AFTER * 2 ** (attempt - 1)
        send_welcome_email.using(run_after=timezone.now() + wait).enqueue(
            user_id=user_id, attempt=attempt + 1
        )
        logger.warning(
            "Welcome e-mail for user %s refused (attempt %d of %d); next in %s.",
            user_id,
            attempt,
            WELCOME_ATTEMPTS,
            wait,
            exc_info=True,
        )
        return
    User.objects.filter(pk=user_id).update(welcomed_at=timezone.now())


@task(takes_context=True)
def send_password_reset_email(
    context: TaskContext, *, user_id: int, domain: str, protocol: str
) -> None:
    """Send a link that sets a new password. The token is made here, in the worker,
    so the queue stores no secret; it stops working once the password changes. A
    send repeated after a worker died carries the same Message-ID."""
    user = User.objects.get(pk=user_id)
    link = {
        "email": user.email,
        "domain": domain,
        "protocol": protocol,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "project_name": settings.PROJECT_NAME,
    }
    subject = render_to_string("registration/password_reset_subject.txt", link)
    EmailMessage(
        subject="".join(subject.splitlines()),
        body=render_to_string("registration/password_reset_email.txt", link),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Message-ID": message_id(f"reset.{context.task_result.id}")},
    ).send()
