import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from {{ cookiecutter.project_slug }}.users.models import User
from {{ cookiecutter.project_slug }}.users.selectors import user_get
from {{ cookiecutter.project_slug }}.users.services import user_create

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_user_create_saves_a_normalised_account_and_emails_it_after_commit(
    run_queued_tasks,
):
    user = user_create(email="Fresh@Example.com", password="s3cret-enough")

    assert User.objects.get(pk=user.pk).email == "fresh@example.com"
    assert user.check_password("s3cret-enough")
    run_queued_tasks()
    assert [message.to for message in mail.outbox] == [["fresh@example.com"]]


def test_user_create_refuses_an_invalid_email_and_saves_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError, match="valid email"):
            user_create(email="not-an-email", password="s3cret-enough")

    assert not User.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_user_get_loads_only_what_the_welcome_email_needs(django_assert_num_queries):
    created = UserFactory.create()

    with django_assert_num_queries(1):
        user = user_get(user_id=created.pk)
        assert (user.email, user.welcomed_at) == (created.email, None)

    assert "is_staff" in user.get_deferred_fields()
