import pytest
from django.db import models

from {{ cookiecutter.project_slug }}.core.models import TimestampedModel
from {{ cookiecutter.project_slug }}.users.models import User
from {{ cookiecutter.project_slug }}.users.tasks import welcome_email


def test_timestamped_model_is_abstract_with_both_timestamps():
    assert TimestampedModel._meta.abstract
    fields = {field.name: field for field in TimestampedModel._meta.fields}
    created_at, updated_at = fields["created_at"], fields["updated_at"]
    assert isinstance(created_at, models.DateTimeField) and created_at.auto_now_add
    assert isinstance(updated_at, models.DateTimeField) and updated_at.auto_now


def test_user_is_timestamped_and_identified_by_email():
    assert issubclass(User, TimestampedModel)
    assert User.USERNAME_FIELD == "email"
    assert User._meta.get_field("email").unique
    assert "username" not in {field.name for field in User._meta.fields}


def test_email_is_normalised_to_lowercase_without_surrounding_spaces():
    assert User.objects.normalize_email("  Alice@Example.COM ") == "alice@example.com"


def test_cleaning_a_user_normalises_its_email():
    user = User(email="Bob@Example.com")
    user.clean()
    assert user.email == "bob@example.com"


def test_create_superuser_refuses_a_user_without_staff_rights():
    with pytest.raises(ValueError, match="is_staff=True"):
        User.objects.create_superuser("root@example.com", "pw", is_staff=False)


def test_welcome_email_names_the_project_and_the_recipient(settings):
    settings.DEFAULT_FROM_EMAIL = "Team <noreply@site.example>"
    message = welcome_email(user=User(pk=7, email="new@example.com"))
    assert message.to == ["new@example.com"]
    assert message.subject == f"Welcome to {settings.PROJECT_NAME}"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    # One account's welcome is one message, whichever worker sends it.
    assert message.extra_headers["Message-ID"] == "<welcome.7@site.example>"
