"""Test data for the blog, inserted in bulk so that 200 rows cost a few queries."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from {{ cookiecutter.project_slug }}.blog.models import Comment, Post, Tag

from ..factories import UserFactory


def make_posts(count: int, *, comments_per_post: int = 2, first: int = 0) -> list[Post]:
    """Published posts numbered from ``first``, each with two tags and some comments."""
    author = UserFactory()
    tags = [
        Tag.objects.get_or_create(name=name, slug=name)[0]
        for name in ("django", "python", "caching")
    ]
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            author=author,
            title=f"Post {number}",
            slug=f"post-{number}",
            summary=f"Summary {number}",
            body="A long body. " * 200,
            published_at=now - timedelta(minutes=number),
        )
        for number in range(first, first + count)
    )
    Post.tags.through.objects.bulk_create(
        Post.tags.through(post=post, tag=tag)
        for number, post in enumerate(posts)
        for tag in (tags[number % 3], tags[(number + 1) % 3])
    )
    Comment.objects.bulk_create(
        Comment(post=post, author=author, body=f"Comment {number}")
        for post in posts
        for number in range(comments_per_post)
    )
    return posts


class AppQueries(CaptureQueriesContext):
    """Queries to the application's tables: a database cache's own (its table and
    the savepoints around its writes) are left out."""

    def __init__(self) -> None:
        super().__init__(connection)

    def __len__(self) -> int:
        return len(self.app_queries)

    @property
    def app_queries(self) -> list[str]:
        return [
            query["sql"]
            for query in self.captured_queries
            if "django_cache" not in query["sql"] and "SAVEPOINT" not in query["sql"]
        ]
