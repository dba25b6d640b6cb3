"""Every committed write to the blog invalidates the cached reads it reaches.

The rules, one per kind of write (the README's edit table tests each one). A
scope's new version retires what is cached under it (caching.py); touching a
post gives it a new ``updated_at``, which retires its card (a template fragment).

- a comment added or deleted: the list and the post's tags' pages. Its card
  keys on the comment count; the popular tags do not count comments.
- a post saved or deleted, one at a time or in bulk (the admin's delete action
  deletes row by row, so these signals fire): ``ALL``, since the popular tags
  on every page count published posts. Its card keys on its ``updated_at``.
- a tag saved or deleted: ``ALL``, and its posts are touched, because their
  cards show the tag's name.
- tags added to or removed from a post, from either side, ``clear()`` included:
  ``ALL``, and the posts are touched.
- an author's display name saved: ``ALL``, and their posts are touched. A save
  of other fields only, such as a login's ``last_login``, is not such a write.

Touching is a ``QuerySet.update()``, which sends no signal of its own. Nothing
else in the app writes with ``update()``.
"""

from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from ..users.models import User
from .caching import ALL, LIST, bump_versions, tag_scope
from .models import Comment, Post, Tag

# The author's fields that the pages show.
AUTHOR_FIELDS = {"display_name"}


def content_changed(*scopes: str) -> None:
    # After commit: bumping earlier would let a reader cache the old rows
    # under the new versions.
    transaction.on_commit(partial(bump_versions, *scopes))


def touch(posts: QuerySet[Post]) -> int:
    """Give these posts a new ``updated_at``, so their cards are rendered again."""
    return posts.update(updated_at=timezone.now())


def pages_showing(post_id: int) -> list[str]:
    """The scopes of the pages that show this post's card."""
    slugs = Tag.objects.filter(posts=post_id).values_list("slug", flat=True)
    return [LIST, *map(tag_scope, slugs)]


@receiver([post_save, post_delete], sender=Comment)
def comment_changed(instance: Comment, **kwargs: Any) -> None:
    content_changed(*pages_showing(instance.post_id))


@receiver([post_save, post_delete], sender=Post)
def post_changed(**kwargs: Any) -> None:
    content_changed(ALL)


@receiver(post_save, sender=Tag)
@receiver(pre_delete, sender=Tag)
def tag_changed(instance: Tag, **kwargs: Any) -> None:
    # Before the delete, while the tag's rows in Post.tags still exist.
    if not kwargs.get("created"):
        touch(Post.objects.filter(tags=instance))
    content_changed(ALL)


@receiver(m2m_changed, sender=Post.tags.through)
def post_tags_changed(
    instance: Post | Tag, action: str, pk_set: set[int] | None, **kwargs: Any
) -> None:
    # post.tags changes send the post; tag.posts changes send the tag.
    if isinstance(instance, Tag) and action == "pre_clear":
        # tag.posts.clear(): which posts lose the tag is known only before.
        touch(Post.objects.filter(tags=instance))
    if not action.startswith("post_"):
        return
    if isinstance(instance, Post):
        touch(Post.objects.filter(pk=instance.pk))
    elif pk_set:
        touch(Post.objects.filter(pk__in=pk_set))
    content_changed(ALL)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def author_changed(
    instance: User,
    created: bool,
    update_fields: frozenset[str] | None,
    **kwargs: Any,
) -> None:
    if created or (update_fields is not None and not AUTHOR_FIELDS & update_fields):
        return
    if touch(Post.objects.filter(author=instance)):
        content_changed(ALL)
