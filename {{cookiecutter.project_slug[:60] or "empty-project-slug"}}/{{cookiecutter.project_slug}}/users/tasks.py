"""Work that happens after a request, through django.tasks.

Tasks take ids, not instances: a worker-backed backend serialises arguments as JSON.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
{%- if cookiecutter.use_service_layer %}

from .selectors import user_get
{%- else %}

from .models import User
{%- endif %}


def welcome_email(*, to: str) -> EmailMessage:
    return EmailMessage(
        subject=f"Welcome to {settings.PROJECT_NAME}",
        body="Thanks for signing up. You can log in any time with this e-mail address.\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )


@task
def send_welcome_email(*, user_id: int) -> None:
    """Send the welcome e-mail. A failure is recorded and logged by django.tasks;
    the account it welcomes already exists and stays."""
{%- if cookiecutter.use_service_layer %}
    user = user_get(user_id=user_id)
{%- else %}
    user = User.objects.only("email").get(pk=user_id)
{%- endif %}
    welcome_email(to=user.email).send()
