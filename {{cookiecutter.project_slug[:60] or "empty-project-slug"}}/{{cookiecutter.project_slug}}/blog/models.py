from typing import TypedDict

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from {{ cookiecutter.project_slug }}.core.models import TimestampedModel


class PopularTag(TypedDict):
    """A row of the popular-tags box."""

    name: str
    slug: str
    post_count: int


# The columns a post card shows: never the (large) body.
LIST_FIELDS = (
    "title",
    "slug",
    "summary",
    "published_at",
    "updated_at",
    "author__display_name",
)


class TagQuerySet(models.QuerySet["Tag"]):
    def popular(self, *, limit: int = 10) -> list[PopularTag]:
        """Tags by number of published posts: an aggregate over the whole table,
        worth caching (see caching.cached)."""
        return list(
            self.filter(posts__published_at__lte=timezone.now())
            .annotate(post_count=Count("posts"))
            .order_by("-post_count", "name")
            .values("name", "slug", "post_count")[:limit]
        )


class Tag(TimestampedModel):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)

    objects = TagQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


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


class PostQuerySet(models.QuerySet["Post"]):
    """The reads the pages need, each with the joins and columns it uses."""

    def published(self) -> "PostQuerySet":
        return self.filter(published_at__lte=timezone.now())

    def for_list(self, *, tag: str | None = None) -> "PostQuerySet":
        """Newest first, without the body, with author, tags and comment count
        in a fixed number of queries whatever the number of rows."""
        posts = self.published()
        if tag:
            posts = posts.filter(tags__slug=tag)
        return (
            posts.select_related("author")
            .only(*LIST_FIELDS)
            .prefetch_related(
                Prefetch("tags", queryset=Tag.objects.only("name", "slug"))
            )
            .annotate(comment_count=comment_count())
            .order_by("-published_at", "-id")
        )

    def for_detail(self) -> "PostQuerySet":
        comments = Comment.objects.select_related("author").only(
            "body", "created_at", "post_id", "author__display_name"
        )
        return (
            self.published()
            .select_related("author")
            .prefetch_related(
                Prefetch("tags", queryset=Tag.objects.only("name", "slug")),
                Prefetch("comments", queryset=comments.order_by("created_at")),
            )
        )


class Post(TimestampedModel):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        indexes = [
            # The list page: published posts, newest first.
            models.Index(fields=["-published_at"], name="blog_post_published_idx"),
            # An author's posts, newest first.
            models.Index(
                fields=["author", "-published_at"], name="blog_post_author_pub_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tags_shown(self) -> str:
        """Each tag as the post's card shows it, name and link, from the tags
        ``for_list`` prefetched: part of the card's cache key."""
        return " ".join(f"{tag.slug}:{tag.name}" for tag in self.tags.all())


class Comment(TimestampedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(max_length=2000)

    class Meta:
        indexes = [
            # A post's comments in order; also serves the per-post comment count.
            models.Index(fields=["post", "created_at"], name="blog_comment_post_idx"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on post {self.post_id}"
