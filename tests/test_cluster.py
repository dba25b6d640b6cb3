"""Several machines, one site: what a visitor does through one web node shows on
the next request to another, through the variant's real database and cache.
PostgreSQL variants run two nodes; SQLite keeps a site on one machine, so there
both ends of each check are the one node (the single-node form)."""

import re
import secrets
import time
import urllib.error
from datetime import UTC, datetime, timedelta

import pytest

from .generated import assert_ok
from .production import PROD, at_once, csrf_token, open_page, sign_up_form
from .template import ids_of_images_with

EDITOR = "editor@example.com"
EDITOR_PASSWORD = secrets.token_urlsafe(16)
MAKE_AN_EDITOR = """
from {slug}.users.models import User
print(User.objects.create_superuser(email={email!r}, password={password!r}).pk)
"""
TITLE = "Written through one node"
SLUG = "written-through-one-node"


def test_postgresql_variants_are_checked_on_two_web_nodes(production, image):
    two = image.context["database"] == "postgresql"
    assert len(production.proxy.nodes) == (2 if two else 1)


def test_a_user_who_signs_up_on_one_node_is_logged_in_on_the_other(production):
    first, last = production.proxy.nodes[0], production.proxy.nodes[-1]
    visitor = production.visitor()
    signup = f"{first}/accounts/signup/"
    password = secrets.token_urlsafe(16)
    token = csrf_token(open_page(visitor, signup)[2])
    form = sign_up_form(token, "traveller@example.com", password)
    assert open_page(visitor, signup, form)[:2] == (200, f"{first}/")

    pages = at_once(4 * production.workers, lambda _: open_page(visitor, f"{last}/"))
    assert all("traveller@example.com" in page for _, _, page in pages)


def setting_default(production, variable: str) -> int:
    """The default the generated settings give an integer variable (the harness
    leaves it unset, as a deployment that never heard of it does)."""
    base = (production.app.path / "config" / "settings" / "base.py").read_text()
    return int(re.search(rf'env\.int\("{variable}", default=(\d+)\)', base)[1])


def start_of_a_window_with(seconds_left: float, window: int) -> None:
    """Wait for the next throttle window if this one ends within ``seconds_left``.
    Attempts are counted in fixed windows: a run of them across a window's end is
    counted in two, and reaches the limit in neither."""
    left = window - time.time() % window
    if left < seconds_left:
        time.sleep(left + 0.5)


def test_failed_logins_through_one_node_lock_the_account_on_the_other(production):
    first, last = production.proxy.nodes[0], production.proxy.nodes[-1]
    attempts_per_account = setting_default(
        production, "DJANGO_LOGIN_ATTEMPTS_PER_ACCOUNT"
    )
    window = setting_default(production, "DJANGO_AUTH_THROTTLE_WINDOW")
    start_of_a_window_with(seconds_left=30, window=window)
    visitor = production.visitor()
    token = csrf_token(open_page(visitor, f"{first}/accounts/login/")[2])
    form = {"csrfmiddlewaretoken": token, "username": "guessed@example.com"}
    for attempt in range(attempts_per_account):
        form["password"] = f"guess {attempt}"
        assert open_page(visitor, f"{first}/accounts/login/", form)[0] == 200

    with pytest.raises(urllib.error.HTTPError) as refused:
        open_page(visitor, f"{last}/accounts/login/", form)
    assert refused.value.code == 429
    assert 0 < int(refused.value.headers["Retry-After"]) <= window
    assert "Too many attempts" in refused.value.read().decode()


@pytest.fixture(scope="session")
def editor(production, image):
    """A staff member, logged in to the admin through the first node; and the
    primary key of their account."""
    code = MAKE_AN_EDITOR.format(
        slug=image.context["project_slug"], email=EDITOR, password=EDITOR_PASSWORD
    )
    made = production.app.manage("shell", "-c", code)
    assert_ok(made)
    visitor = production.visitor()
    login = f"{production.proxy.nodes[0]}/{PROD['DJANGO_ADMIN_URL']}login/"
    form = {
        "csrfmiddlewaretoken": csrf_token(open_page(visitor, login)[2]),
        "username": EDITOR,
        "password": EDITOR_PASSWORD,
        "next": f"/{PROD['DJANGO_ADMIN_URL']}",
    }
    status, url, _ = open_page(visitor, login, form)
    assert (status, url) == (200, login.removesuffix("login/"))
    return visitor, made.stdout.split()[-1]


def admin_add(production, visitor, model: str, form: dict) -> None:
    """Fill in and save the admin's add form for ``model`` on the first node."""
    admin = f"{production.proxy.nodes[0]}/{PROD['DJANGO_ADMIN_URL']}blog/{model}/"
    token = csrf_token(open_page(visitor, f"{admin}add/")[2])
    form = {"csrfmiddlewaretoken": token, "_save": "Save", **form}
    status, url, page = open_page(visitor, f"{admin}add/", form)
    assert (status, url) == (200, admin), page


def anonymous_pages(production, path: str) -> list[str]:
    """``path`` on the last node, for anonymous visitors on each of its workers."""
    visitor = production.visitor()
    url = f"{production.proxy.nodes[-1]}{path}"
    return [
        page
        for _, _, page in at_once(
            4 * production.workers, lambda _: open_page(visitor, url)
        )
    ]


@pytest.fixture(scope="session")
def post_written_through_one_node(production, editor) -> list[str]:
    """A tagged post added in the admin of the first node, after anonymous visitors
    had every worker of the last node cache the post list; the list as those
    visitors see it next."""
    visitor, author = editor
    assert all(TITLE not in page for page in anonymous_pages(production, "/posts/"))
    admin_add(production, visitor, "tag", {"name": "Clustered", "slug": "clustered"})
    tags = f"{production.proxy.nodes[0]}/{PROD['DJANGO_ADMIN_URL']}blog/tag/"
    [tag] = re.findall(r"/blog/tag/(\d+)/change/", open_page(visitor, tags)[2])
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    post = {
        "author": author,
        "title": TITLE,
        "slug": SLUG,
        "summary": "",
        "body": "Seen on every node.",
        "tags": tag,
        "published_at_0": yesterday,
        "published_at_1": "12:00:00",
    }
    admin_add(production, visitor, "post", post)
    return anonymous_pages(production, "/posts/")


@pytest.mark.parametrize(
    "image", ids_of_images_with(include_example_app=True), ids=str, indirect=True
)
def test_a_post_written_through_one_node_shows_on_the_others_next_request(
    post_written_through_one_node,
):
    """Every cache level at once: the page served whole, the popular-tags query
    and the post cards' fragments, each cached on the other node beforehand."""
    for page in post_written_through_one_node:
        assert TITLE in page
        assert "#Clustered</a> (1)" in page


@pytest.mark.parametrize(
    "image", ids_of_images_with(include_example_app=True), ids=str, indirect=True
)
def test_a_comment_through_one_node_shows_on_the_others_next_request(
    production, editor, post_written_through_one_node
):
    visitor, _ = editor
    detail = f"{production.proxy.nodes[0]}/posts/{SLUG}/"
    token = csrf_token(open_page(visitor, detail)[2])
    form = {"csrfmiddlewaretoken": token, "body": "Said on the first node."}
    assert open_page(visitor, detail, form)[:2] == (200, detail)

    card = re.compile(rf"{TITLE}</a></h2>\s*<p class=\"meta\">[^<]* · 1 comment</p>")
    assert all(card.search(page) for page in anonymous_pages(production, "/posts/"))
    pages = anonymous_pages(production, f"/posts/{SLUG}/")
    assert all("Said on the first node." in page for page in pages)
