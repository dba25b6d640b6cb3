"""Every committed write to the blog invalidates the cached reads it reaches.

The rules, one per kind of write (the README's edit table tests each one). A
scope's new version retires what is cached under it (caching.py). Invalidation
writes to the cache alone: no row is rewritten to retire a cached read. Post cards
(template fragments) are keyed by everything they show, the post's ``updated_at``,
comment count, author's name and tags, so no write needs to retire them.

- a comment added or deleted: the list and the post's tags' pages.
- a post saved or deleted, one at a time or in bulk (the admin's delete action
  deletes row by row, so these signals fire): ``ALL``, since the popular tags
  on every page count published posts.
- a tag saved or deleted: ``ALL``, since pages show its name.
- tags added to or removed from a post, from either side, ``clear()`` included:
  ``ALL``.
- an author's display name changed: ``ALL``, if they have posts. A save that
  leaves it as it was, such as a password change or a login's ``last_login``,
  is not such a write.
"""

import weakref
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from ..users.models import User
from .caching import ALL, LIST, bump_versions, tag_scope
from .models import Comment, Post, Tag

# The author's fields that the pages show.
AUTHOR_FIELDS = {"display_name"}
# Authors whose save, under way, changes one of those fields.
renamed_authors: "weakref.WeakSet[User]" = weakref.WeakSet()


def content_changed(*scopes: str) -> None:
    # After commit: bumping earlier would let a reader cache the old rows
    # under the new versions.
    transaction.on_commit(partial(bump_versions, *scopes))


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
@receiver(post_delete, sender=Tag)
def tag_changed(**kwargs: Any) -> None:
    content_changed(ALL)


@receiver(m2m_changed, sender=Post.tags.through)
def post_tags_changed(action: str, **kwargs: Any) -> None:
    # post.tags changes send the post; tag.posts changes send the tag.
    if action.startswith("post_"):
        content_changed(ALL)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def author_saving(
    instance: User, update_fields: frozenset[str] | None, **kwargs: Any
) -> None:
    """Note whether this save changes what the pages show of the author. A save
    that names its fields says; otherwise the stored row does."""
    if instance._state.adding:
        return
    if update_fields is not None and not AUTHOR_FIELDS & update_fields:
        return
    stored = User.objects.filter(pk=instance.pk).values(*AUTHOR_FIELDS).first()
    if stored != {field: getattr(instance, field) for field in AUTHOR_FIELDS}:
        renamed_authors.add(instance)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def author_changed(instance: User, **kwargs: Any) -> None:
    if instance not in renamed_authors:
        return
    renamed_authors.discard(instance)
    if Post.objects.filter(author=instance).exists():
        content_changed(ALL)
