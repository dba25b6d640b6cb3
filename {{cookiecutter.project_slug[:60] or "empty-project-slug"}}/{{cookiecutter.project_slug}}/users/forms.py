{% if not cookiecutter.use_service_layer -%}
from functools import partial
{% endif -%}
from typing import Any

from django.contrib.auth.forms import BaseUserCreationForm, PasswordResetForm
{%- if not cookiecutter.use_service_layer %}
from django.db import IntegrityError, transaction
{%- endif %}

from .models import User
{%- if cookiecutter.use_service_layer %}
from .tasks import send_password_reset_email
{%- else %}
from .tasks import send_password_reset_email, send_welcome_email
{%- endif %}


class SignUpForm(BaseUserCreationForm):
    """E-mail and password twice; duplicates are refused whatever their case."""

    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"])
{%- if not cookiecutter.use_service_layer %}

    def save(self, commit: bool = True) -> User:
        """Create the account and, once it is committed, send the welcome e-mail."""
        try:
            with transaction.atomic():
                user = super().save(commit=commit)
                if commit:
                    transaction.on_commit(
                        partial(send_welcome_email.enqueue, user_id=user.pk)
                    )
        except IntegrityError:
            # A concurrent sign-up took the address after validation looked:
            # report it as validation would have, with "already exists".
            self.instance.validate_unique()
            raise
        return user
{%- endif %}


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending through the task worker. It answers the same
    whether or not the address has an account (the view shows one "sent" page),
    and the request does not wait on the mail server."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        send_password_reset_email.enqueue(
            user_id=context["user"].pk,
            domain=context["domain"],
            protocol=context["protocol"],
        )
