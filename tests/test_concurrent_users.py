"""Production as shipped, under load from many sides at once: writes made by
other processes, and concurrent users spread over every gunicorn worker of every node, all see
one consistent site; each new account is welcomed once by the task worker.
"""

import secrets
import urllib.error

import pytest

from .generated import assert_ok
from .production import at_once, csrf_token, open_page, sign_up_form
from .template import ids_of_images_with

WRITE_ELSEWHERE = """
from django.utils import timezone
from {slug}.users.models import User
operator = User.objects.create_superuser(email="operator@example.com", password={password!r})
print(operator.password.split("$")[1])  # the hash's variant, e.g. argon2id
"""
WRITE_A_POST = """
from {slug}.blog.models import Post
Post.objects.create(author=operator, title="Written by another process",
    slug="written-by-another-process", body="Seen by every worker.",
    published_at=timezone.now())
"""
OPERATOR_PASSWORD = secrets.token_urlsafe(16)


@pytest.fixture(scope="session")
def written_by_another_process(production, image):
    """Writes made by a management command, a process of its own, after every
    worker has had the chance to cache the anonymous post list."""
    script = WRITE_ELSEWHERE
    if image.context["include_example_app"]:
        posts = f"{production.proxy.url}/posts/"
        visitor = production.visitor()
        warm = at_once(
            4 * production.workers_on_every_node, lambda _: open_page(visitor, posts)
        )
        assert all(status == 200 for status, _, _ in warm)
        script += WRITE_A_POST
    slug = image.context["project_slug"]
    code = script.format(slug=slug, password=OPERATOR_PASSWORD)
    completed = production.app.manage("shell", "-c", code)
    assert_ok(completed)
    return completed.stdout


def test_passwords_are_stored_with_argon2id(written_by_another_process):
    assert written_by_another_process.splitlines()[-1] == "argon2id"


def test_an_account_made_by_another_process_is_logged_in_on_every_worker(
    production, written_by_another_process
):
    email = "operator@example.com"
    member = production.visitor()
    login = f"{production.proxy.url}/accounts/login/"
    _, _, page = open_page(member, login)
    form = {
        "csrfmiddlewaretoken": csrf_token(page),
        "username": email,
        "password": OPERATOR_PASSWORD,
    }
    status, url, page = open_page(member, login, form)
    assert (status, url) == (200, f"{production.proxy.url}/") and email in page
    pages = at_once(
        4 * production.workers_on_every_node, lambda _: open_page(member, url)[2]
    )
    assert all(email in page for page in pages)


def test_concurrent_sign_ups_through_every_worker_all_succeed(production):
    """Several workers writing at once: no "database is locked", no 500."""
    signup = f"{production.proxy.url}/accounts/signup/"
    visitors = [production.visitor() for _ in range(2 * production.workers)]
    tokens = [csrf_token(open_page(visitor, signup)[2]) for visitor in visitors]
    password = secrets.token_urlsafe(16)

    def sign_up(number: int) -> tuple[int, str]:
        form = sign_up_form(tokens[number], f"newcomer{number}@example.com", password)
        status, url, _ = open_page(visitors[number], signup, form)
        return status, url

    assert at_once(len(visitors), sign_up) == [(200, f"{production.proxy.url}/")] * len(
        visitors
    )
    # The worker process welcomes each new account, once.
    addresses = [f"newcomer{number}@example.com" for number in range(len(visitors))]
    for address in addresses:
        production.mail.wait_for(address)
    assert sorted(production.mail.recipients_of(addresses)) == sorted(addresses)


def test_racing_sign_ups_for_one_address_make_one_account(production):
    """One address, in two cases, signed up at once through every worker: one
    account; every other request gets the form's "already exists", never a 500."""
    signup = f"{production.proxy.url}/accounts/signup/"
    visitors = [production.visitor() for _ in range(2 * production.workers)]
    tokens = [csrf_token(open_page(visitor, signup)[2]) for visitor in visitors]
    password = secrets.token_urlsafe(16)

    def sign_up(number: int) -> tuple[int, str, str]:
        email = "racer@example.com" if number % 2 else "Racer@Example.COM"
        form = sign_up_form(tokens[number], email, password)
        try:
            return open_page(visitors[number], signup, form)
        except urllib.error.HTTPError as error:
            return error.code, signup, error.read().decode()

    outcomes = at_once(len(visitors), sign_up)
    assert [status for status, _, _ in outcomes] == [200] * len(visitors)
    landed = [url for _, url, _ in outcomes]
    assert landed.count(f"{production.proxy.url}/") == 1, landed
    refused = [page for _, url, page in outcomes if url == signup]
    assert len(refused) == len(visitors) - 1
    assert all("already exists" in page for page in refused)
    production.mail.wait_for("racer@example.com")
    assert production.mail.recipients_of(["racer@example.com"]) == ["racer@example.com"]


@pytest.mark.parametrize(
    "image", ids_of_images_with(include_example_app=True), ids=str, indirect=True
)
def test_a_post_written_by_another_process_shows_on_every_workers_next_request(
    production, written_by_another_process
):
    posts = f"{production.proxy.url}/posts/"
    visitor = production.visitor()
    pages = at_once(
        4 * production.workers_on_every_node, lambda _: open_page(visitor, posts)[2]
    )
    assert all("Written by another process" in page for page in pages)
