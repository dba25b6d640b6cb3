import pytest
from django.urls import reverse

from {{ cookiecutter.project_slug }}.users.models import User

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_create_user_stores_a_lowercase_email_and_a_hashed_password():
    user = User.objects.create_user("Someone@Example.com", "s3cret-enough")

    user.refresh_from_db()
    assert user.email == "someone@example.com"
    assert user.password != "s3cret-enough"
    assert user.check_password("s3cret-enough")
    assert user.created_at is not None and user.updated_at is not None


def test_create_superuser_can_use_the_admin():
    user = User.objects.create_superuser("boss@example.com", "s3cret-enough")

    assert user.is_staff and user.is_superuser


def test_login_accepts_the_email_in_any_case(client):
    user = UserFactory.create(email="casey@example.com")

    response = client.post(
        reverse("login"), {"username": "Casey@Example.COM", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_home_greets_a_logged_in_user_and_logout_ends_the_session(client):
    user = UserFactory.create()
    client.force_login(user)

    assert user.email in client.get(reverse("home")).text

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "Sign up" in client.get(reverse("home")).text


@pytest.mark.parametrize("page", ["login", "signup", "password_reset"])
def test_account_pages_render_for_visitors(client, page: str):
    response = client.get(reverse(page))

    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.text


@pytest.mark.parametrize(
    "url_name", ["admin:users_user_changelist", "admin:users_user_add"]
)
def test_admin_user_pages_open_for_a_superuser(admin_client, url_name: str):
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_admin_user_change_page_opens_for_a_superuser(admin_client):
    user = UserFactory.create()

    response = admin_client.get(reverse("admin:users_user_change", args=[user.pk]))

    assert response.status_code == 200
    assert user.email in response.text


def test_readyz_reports_every_backing_service_as_ready(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
{%- if cookiecutter.cache_backend == "none" %}
        "checks": {"database": "ok"},
{%- else %}
        "checks": {"database": "ok", "cache": "ok"},
{%- endif %}
    }
