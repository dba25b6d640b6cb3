"""Test data for the blog, inserted in bulk so that many rows cost a few queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from {{ cookiecutter.project_slug }}.blog.models import Post
from {{ cookiecutter.project_slug }}.blog.seed import seed_posts

from ..factories import UserFactory


def make_posts(count: int, *, comments_per_post: int = 2, first: int = 0) -> list[Post]:
    """Published posts "Post <first>"... by a new author, tagged django/python/caching."""
    return seed_posts(
        author=UserFactory(),
        numbers=range(first, first + count),
        tag_names=("django", "python", "caching"),
        comments_per_post=comments_per_post,
    )


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
