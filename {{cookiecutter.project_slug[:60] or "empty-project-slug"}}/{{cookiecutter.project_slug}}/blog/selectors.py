"""Reads of the blog, as the views ask for them. Each fetches exactly what its
page shows, in a fixed number of queries whatever the number of rows; the queries
themselves are the models' queryset methods (models.py), defined once for every
caller."""

from django.db.models import QuerySet

from .models import PopularTag, Post, Tag


def post_list(*, tag: str | None = None) -> QuerySet[Post]:
    """Published posts, newest first, with author, tags and comment count."""
    return Post.objects.for_list(tag=tag)


def post_detail_queryset() -> QuerySet[Post]:
    """Published posts with author, tags and comments (with their authors)."""
    return Post.objects.for_detail()


def tag_popular(*, limit: int = 10) -> list[PopularTag]:
    """Tags by number of published posts: an aggregate over the whole table,
    worth caching (see caching.cached)."""
    return Tag.objects.popular(limit=limit)
