"""The blog's three cache levels against the configured cache: what they save,
and that a write is visible on the very next request."""

{% if cookiecutter.cache_backend != "none" -%}
import threading
import time
from concurrent.futures import ThreadPoolExecutor

{% endif -%}
import pytest
{%- if cookiecutter.cache_backend != "none" %}
from django.db import connection
{%- endif %}
from django.urls import reverse
from django.utils import timezone

{% if cookiecutter.cache_backend != "none" -%}
from {{ cookiecutter.project_slug }}.blog.caching import (
    ALL,
    WAIT_FOR_COMPUTE_SECONDS,
    bump_versions,
    cached,
)
{% endif -%}
from {{ cookiecutter.project_slug }}.blog.models import Post
{%- if cookiecutter.cache_backend != "none" %}
from {{ cookiecutter.project_slug }}.blog.views import PAGE_SIZE
{%- endif %}

from ..factories import UserFactory
from .blog import AppQueries, {% if cookiecutter.cache_backend != "none" %}cache_entries, {% endif %}make_posts

pytestmark = pytest.mark.django_db
{%- if cookiecutter.cache_backend == "none" %}


def test_with_no_cache_every_visit_queries_the_database(client):
    make_posts(5)
    client.get(reverse("blog:posts"))

    with AppQueries() as queries:
        client.get(reverse("blog:posts"))

    assert len(queries) == 4
{%- else %}


def test_a_second_visit_to_the_list_makes_no_query(client):
    make_posts(5)
    client.get(reverse("blog:posts"))

    with AppQueries() as queries:
        response = client.get(reverse("blog:posts"))

    assert response.status_code == 200
    assert len(queries) == 0, queries.app_queries
    assert "Post 0" in response.text


def test_a_cached_page_has_the_same_headers_as_a_fresh_one(client):
    make_posts(2)
    fresh = client.get(reverse("blog:posts"))

    with AppQueries() as queries:
        cached = client.get(reverse("blog:posts"))

    assert len(queries) == 0
    # Every header but the id each request has of its own.
    assert cached["X-Request-ID"] != fresh["X-Request-ID"]
    del cached["X-Request-ID"], fresh["X-Request-ID"]
    assert dict(cached.items()) == dict(fresh.items())
    assert cached.content == fresh.content


def test_a_tracking_parameter_is_served_from_the_cached_page(client):
    make_posts(2)
    client.get(reverse("blog:posts"))

    with AppQueries() as queries:
        response = client.get(reverse("blog:posts"), {"utm_source": "newsletter"})

    assert response.status_code == 200
    assert len(queries) == 0, queries.app_queries


def test_junk_query_strings_add_no_cache_entries(client{% if cookiecutter.cache_backend == "memcached" %}, cache_server{% endif %}):
    make_posts(PAGE_SIZE + 1)
    for canonical in ({}, {"page": 2}, {"tag": "django"}):
        client.get(reverse("blog:posts"), canonical)
    entries = cache_entries()

    # Ten of each kind: one cached junk page would already add an entry.
    for n in range(10):
        for junk in (
            {"utm_source": n},
            {"page": n + 3},
            {"page": f"0{n % 2 + 1}"},
            {"page": f"x{n}"},
            {"tag": f"junk-{n}"},
        ):
            response = client.get(reverse("blog:posts"), junk)
            assert response.status_code in (200, 404), junk

    assert cache_entries() == entries


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_after_a_write_compute_a_value_once():
    computed = []
    start_together = threading.Barrier(8)

    def slow_query() -> str:
        computed.append(threading.get_ident())
        time.sleep(0.2)
        return "value"

    def request(_: int) -> str:
        start_together.wait()
        try:
            return cached("slow-query", slow_query)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        values = list(pool.map(request, range(8)))

    assert values == ["value"] * 8
    assert len(computed) == 1


@pytest.mark.django_db(transaction=True)
def test_a_request_during_a_slow_recompute_waits_briefly_then_computes_the_new_value():
    cached("slow-query", lambda: "before")
    bump_versions(ALL)  # a write: the next request computes the value again
    computing, may_finish = threading.Event(), threading.Event()

    def slow_query() -> str:
        computing.set()
        may_finish.wait(10)
        return "after"

    def recompute() -> str:
        try:
            return cached("slow-query", slow_query)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        recomputed = pool.submit(recompute)
        assert computing.wait(10)
        started = time.monotonic()
        served = cached("slow-query", lambda: "after, computed by the waiter")
        waited = time.monotonic() - started
        may_finish.set()

    # Never the value the write replaced, and the worker is held for a moment only.
    assert served == "after, computed by the waiter"
    assert WAIT_FOR_COMPUTE_SECONDS <= waited < WAIT_FOR_COMPUTE_SECONDS + 1
    assert recomputed.result() == "after"
{%- endif %}


def test_a_page_or_tag_that_does_not_exist_is_not_found(client):
    make_posts(2)

    for missing in ({"page": 2}, {"page": "last"}, {"page": "0"}, {"tag": "nope"}):
        assert client.get(reverse("blog:posts"), missing).status_code == 404, missing
    assert client.get(reverse("blog:posts"), {"page": "01"}).status_code == 200


def test_a_new_post_shows_on_the_next_visit(client, django_capture_on_commit_callbacks):
    [post] = make_posts(1)
    assert "Fresh news" not in client.get(reverse("blog:posts")).text

    with django_capture_on_commit_callbacks(execute=True):
        Post.objects.create(
            author=post.author,
            title="Fresh news",
            slug="fresh-news",
            body="Body",
            published_at=timezone.now(),
        )

    assert "Fresh news" in client.get(reverse("blog:posts")).text


def test_popular_tags_follow_a_retag(client, django_capture_on_commit_callbacks):
    posts = make_posts(3)
    assert "#caching</a> (2)" in client.get(reverse("blog:posts")).text

    with django_capture_on_commit_callbacks(execute=True):
        posts[1].tags.clear()

    assert "#caching</a> (1)" in client.get(reverse("blog:posts")).text


def test_logged_in_users_never_get_the_visitors_cached_page(client):
    make_posts(2)
    client.get(reverse("blog:posts"))
    user = UserFactory.create()
    client.force_login(user)

    response = client.get(reverse("blog:posts"))

    assert user.email in response.text
    assert "Log out" in response.text


def test_browsers_are_told_not_to_keep_the_cached_page(client):
    make_posts(2)
    client.get(reverse("blog:posts"))

    response = client.get(reverse("blog:posts"))

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_post_card_changes_as_soon_as_its_post_does(client):
    # Logged in: no full-page cache, so this is the fragment cache at work.
    client.force_login(UserFactory.create())
    [post] = make_posts(1)
    assert "Post 0" in client.get(reverse("blog:posts")).text

    post.title = "Renamed post"
    post.save()

    response = client.get(reverse("blog:posts"))
    assert "Renamed post" in response.text
    assert "Post 0" not in response.text


def test_a_comment_shows_on_the_post_and_in_its_card(
    client, django_capture_on_commit_callbacks
):
    [post] = make_posts(1, comments_per_post=0)
    assert "0 comments" in client.get(reverse("blog:posts")).text
    client.force_login(UserFactory.create())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("blog:post", args=[post.slug]), {"body": "Great read!"}
        )

    assert response.status_code == 302
    assert "Great read!" in client.get(reverse("blog:post", args=[post.slug])).text
    client.logout()
    assert "1 comment" in client.get(reverse("blog:posts")).text


def test_visitors_must_log_in_to_comment(client):
    [post] = make_posts(1)

    response = client.post(reverse("blog:post", args=[post.slug]), {"body": "Hi"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
