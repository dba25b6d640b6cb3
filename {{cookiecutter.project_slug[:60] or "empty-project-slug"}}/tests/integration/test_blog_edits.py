"""The README's edit table: every write the app and its admin can make shows on
the next request, through every cache level it reaches.

Each row warms a page first, then makes its edit and reads the page again: as a
visitor (the full-page cache, with the fragments and query results under it), on
the list of all posts and on a tag's page, and as a member on the list (no
full-page cache: the fragments and query results alone).
"""

{% if cookiecutter.cache_backend in ["redis", "memcached"] -%}
import time
{% endif -%}
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

{% if cookiecutter.cache_backend != "none" -%}
from {{ cookiecutter.project_slug }}.blog import caching
{% endif -%}
from {{ cookiecutter.project_slug }}.blog.models import Comment, Post, Tag

from ..factories import UserFactory
from .blog import {% if cookiecutter.cache_backend != "none" %}AppQueries, {% endif %}make_posts

pytestmark = pytest.mark.django_db

# The text the next page must no longer show, and the text it must now show.
Seen = tuple[str | None, str | None]
# An edit of the two posts make_posts(2) writes: "Post 0" tagged django and
# python, "Post 1" tagged python and caching, two comments each.
Edit = Callable[[list[Post]], Seen]


def post_created(posts: list[Post]) -> Seen:
    # As the admin saves it: the post, then its tags.
    post = Post.objects.create(
        author=posts[0].author,
        title="Fresh news",
        slug="fresh-news",
        body="Body",
        published_at=timezone.now(),
    )
    post.tags.add(Tag.objects.get(slug="python"))
    return None, "Fresh news"


def post_edited(posts: list[Post]) -> Seen:
    posts[0].title = "Renamed post"
    posts[0].save()
    return "Post 0", "Renamed post"


def post_unpublished(posts: list[Post]) -> Seen:
    posts[0].published_at = None
    posts[0].save()
    return "Post 0", None


def post_scheduled_for_later(posts: list[Post]) -> Seen:
    posts[0].published_at = timezone.now() + timedelta(days=1)
    posts[0].save()
    return "Post 0", None


def post_deleted(posts: list[Post]) -> Seen:
    posts[0].delete()
    return "Post 0", None


def posts_deleted_in_bulk(posts: list[Post]) -> Seen:
    # What the admin's "Delete selected" action does.
    Post.objects.filter(pk=posts[0].pk).delete()
    return "Post 0", None


def comment_added(posts: list[Post]) -> Seen:
    Comment.objects.create(post=posts[0], author=posts[0].author, body="Hi")
    return None, "3 comments</p>"


def comment_deleted(posts: list[Post]) -> Seen:
    posts[0].comments.earliest("pk").delete()
    return None, "1 comment</p>"


def comments_deleted_in_bulk(posts: list[Post]) -> Seen:
    Comment.objects.filter(post=posts[0]).delete()
    return None, "0 comments</p>"


def tag_renamed(posts: list[Post]) -> Seen:
    tag = Tag.objects.get(slug="django")
    tag.name = "Web"
    tag.save()
    return "#django</a>", "#Web</a>"


def tag_deleted(posts: list[Post]) -> Seen:
    Tag.objects.get(slug="django").delete()
    return "#django</a>", None


def tags_deleted_in_bulk(posts: list[Post]) -> Seen:
    Tag.objects.filter(slug="django").delete()
    return "#django</a>", None


def tag_added_to_a_post(posts: list[Post]) -> Seen:
    posts[0].tags.add(Tag.objects.create(name="Web", slug="web"))
    return None, "#Web</a>"


def post_added_to_a_tag(posts: list[Post]) -> Seen:
    Tag.objects.create(name="Web", slug="web").posts.add(posts[0])
    return None, "#Web</a>"


def tag_removed_from_a_post(posts: list[Post]) -> Seen:
    posts[0].tags.remove(Tag.objects.get(slug="django"))
    return "#django</a>", None


def post_removed_from_a_tag(posts: list[Post]) -> Seen:
    Tag.objects.get(slug="django").posts.remove(posts[0])
    return "#django</a>", None


def tags_cleared_from_a_post(posts: list[Post]) -> Seen:
    posts[0].tags.clear()
    return "#django</a>", None


def posts_cleared_from_a_tag(posts: list[Post]) -> Seen:
    Tag.objects.get(slug="django").posts.clear()
    return "#django</a>", None


def author_renamed(posts: list[Post]) -> Seen:
    author = posts[0].author
    old_name = author.display_name
    author.display_name = "Renamed writer"
    author.save()
    return f">{old_name} ·", ">Renamed writer ·"


def author_deleted(posts: list[Post]) -> Seen:
    posts[0].author.delete()
    return "Post 0", None


EDITS: list[Edit] = [
    post_created,
    post_edited,
    post_unpublished,
    post_scheduled_for_later,
    post_deleted,
    posts_deleted_in_bulk,
    comment_added,
    comment_deleted,
    comments_deleted_in_bulk,
    tag_renamed,
    tag_deleted,
    tags_deleted_in_bulk,
    tag_added_to_a_post,
    post_added_to_a_tag,
    tag_removed_from_a_post,
    post_removed_from_a_tag,
    tags_cleared_from_a_post,
    posts_cleared_from_a_tag,
    author_renamed,
    author_deleted,
]


# Who looks, and at which page: both posts are tagged python.
VIEWERS = {
    "visitor": {},
    "visitor-of-a-tag": {"tag": "python"},
    "member": {},
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_the_next_page_shows_the_edit(
    edit: Edit, viewer: str, client, django_capture_on_commit_callbacks
):
    posts = make_posts(2)
    if viewer == "member":
        client.force_login(UserFactory.create())
    page = VIEWERS[viewer]
    for _ in range(2):  # rendered and stored, then read back from the caches
        before = client.get(reverse("blog:posts"), page).text

    with django_capture_on_commit_callbacks(execute=True):
        gone, shown = edit(posts)

    after = client.get(reverse("blog:posts"), page).text
    if gone:
        assert gone in before
        assert gone not in after
    if shown:
        assert shown not in before
        assert shown in after


# The edits that change other rows than the posts.
EDITS_BESIDE_POSTS = [
    comment_added,
    tag_renamed,
    tag_added_to_a_post,
    post_added_to_a_tag,
    tag_removed_from_a_post,
    tags_cleared_from_a_post,
    posts_cleared_from_a_tag,
    author_renamed,
]


@pytest.mark.parametrize("edit", EDITS_BESIDE_POSTS, ids=lambda edit: edit.__name__)
def test_invalidation_rewrites_no_post(edit: Edit, django_capture_on_commit_callbacks):
    posts = make_posts(2)
    last_changed = dict(Post.objects.values_list("pk", "updated_at"))

    with django_capture_on_commit_callbacks(execute=True):
        edit(posts)

    assert dict(Post.objects.values_list("pk", "updated_at")) == last_changed
{%- if cookiecutter.cache_backend != "none" %}


def test_a_password_change_retires_no_cached_page(
    client, django_capture_on_commit_callbacks
):
    author = make_posts(2)[0].author
    for _ in range(2):  # rendered and stored, then read back
        client.get(reverse("blog:posts"))

    with django_capture_on_commit_callbacks(execute=True):
        author.set_password("a new password, as SetPasswordForm saves it")
        author.save()

    with AppQueries() as queries:
        client.get(reverse("blog:posts"))
    assert len(queries) == 0, queries.app_queries


def test_a_comment_leaves_other_tags_pages_and_the_popular_tags_cached(
    client, django_capture_on_commit_callbacks
):
    posts = make_posts(2)
    for page in ({}, {"tag": "caching"}, {"tag": "django"}):
        client.get(reverse("blog:posts"), page)

    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.create(post=posts[0], author=posts[0].author, body="Hi")

    with AppQueries() as other_tag:
        client.get(reverse("blog:posts"), {"tag": "caching"})
    with AppQueries() as own_tag:
        response = client.get(reverse("blog:posts"), {"tag": "django"})
    assert len(other_tag) == 0, other_tag.app_queries
    assert "3 comments</p>" in response.text
    assert own_tag.app_queries
    assert not any("post_count" in sql for sql in own_tag.app_queries)


def test_a_scheduled_post_shows_once_the_cached_page_and_tags_expire(
    client, {% if cookiecutter.cache_backend in ["redis", "memcached"] %}monkeypatch{% else %}time_machine{% endif %}
):
{%- if cookiecutter.cache_backend in ["redis", "memcached"] %}
    # The server counts expiry on its own clock, which no test can move: the
    # README's bounds, 5 and 10 minutes, are shortened to a second and waited out.
    monkeypatch.setattr(caching, "VISITOR_PAGE_TIMEOUT", 1)
    monkeypatch.setattr(caching, "QUERY_TIMEOUT", 1)
    publish_in = timedelta(seconds=1)
{%- else %}
    publish_in = timedelta(minutes=1)
{%- endif %}
    [post] = make_posts(1)
    scheduled = Post.objects.create(
        author=post.author,
        title="Scheduled news",
        slug="scheduled-news",
        body="Body",
        published_at=timezone.now() + publish_in,
    )
    scheduled.tags.add(Tag.objects.create(name="Later", slug="later"))
    before = client.get(reverse("blog:posts")).text
{% if cookiecutter.cache_backend in ["redis", "memcached"] %}
    time.sleep(2.1)  # the server counts expiry in whole seconds
{%- else %}
    # Past the later of the README's bounds: the page's 5 minutes, the tags' 10.
    time_machine.move_to(timezone.now() + timedelta(seconds=caching.QUERY_TIMEOUT + 1))
{%- endif %}

    after = client.get(reverse("blog:posts")).text
    assert "Scheduled news" not in before
    assert "#Later</a>" not in before
    assert "Scheduled news" in after
    assert "#Later</a> (1)" in after
{%- endif %}
