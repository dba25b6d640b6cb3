{%- if not cookiecutter.use_service_layer -%}
from functools import partial

{% endif -%}
from django.contrib.auth.forms import BaseUserCreationForm
{%- if not cookiecutter.use_service_layer %}
from django.db import IntegrityError, transaction
{%- endif %}

from .models import User
{%- if not cookiecutter.use_service_layer %}
from .tasks import send_welcome_email
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
