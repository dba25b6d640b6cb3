"""Reads of the blog: each selector fetches exactly what its page shows, in a
fixed number of queries whatever the number of rows."""

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Comment, PopularTag, Post, Tag

# The columns a post card shows: never the (large) body.
LIST_FIELDS = (
    "title",
    "slug",
    "summary",
    "published_at",
    "updated_at",
    "author__display_name",
)


def comment_count() -> Coalesce:
    """Comments per post as a subquery: counted for the rows on the page only,
    so the list can walk the published_at index and stop at the page size."""
    per_post = (
        Comment.objects.filter(post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(per_post), 0)


def post_list(*, tag: str | None = None) -> QuerySet[Post]:
    """Published posts, newest first, with author, tags and comment count."""
    posts = Post.objects.filter(published_at__lte=timezone.now())
    if tag:
        posts = posts.filter(tags__slug=tag)
    return (
        posts.select_related("author")
        .only(*LIST_FIELDS)
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("name", "slug")))
        .annotate(comment_count=comment_count())
        .order_by("-published_at", "-id")
    )


def post_detail_queryset() -> QuerySet[Post]:
    """Published posts with author, tags and comments (with their authors)."""
    comments = Comment.objects.select_related("author").only(
        "body", "created_at", "post_id", "author__display_name"
    )
    return (
        Post.objects.filter(published_at__lte=timezone.now())
        .select_related("author")
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.only("name", "slug")),
            Prefetch("comments", queryset=comments.order_by("created_at")),
        )
    )


def tag_popular(*, limit: int = 10) -> list[PopularTag]:
    """Tags by number of published posts: an aggregate over the whole table,
    worth caching (see caching.cached)."""
    return list(
        Tag.objects.filter(posts__published_at__lte=timezone.now())
        .annotate(post_count=Count("posts"))
        .order_by("-post_count", "name")
        .values("name", "slug", "post_count")[:limit]
    )
