"""Every committed write to the blog invalidates the cached reads it reaches.

The rules, one per kind of write (the README's edit table tests each one):

- a post, tag or comment saved or deleted, one at a time or in bulk (the admin's
  delete action deletes row by row, so these signals fire): a new content
  version, which retires every cached query result and page (caching.py);
- a tag renamed or deleted: its posts are touched as well, because their cards
  (template fragments, keyed by the post's last change) show the tag's name;
- tags added to or removed from a post, from either side, ``clear()`` included:
  the posts are touched and the version moves on;
- an author's details saved: their posts are touched (the cards show the
  author) and the version moves on. A save of other fields only, such as a
  login's ``last_login``, is not such a write.

Touching is a ``QuerySet.update()``, which sends no signal of its own. Nothing
else in the app writes with ``update()``.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from .caching import bump_content_version
from .models import Comment, Post, Tag

# The author's fields that the pages show.
AUTHOR_FIELDS = {"display_name"}


def touch(posts: QuerySet[Post]) -> int:
    """Give these posts a new ``updated_at``, so their cards are rendered again."""
    return posts.update(updated_at=timezone.now())


def content_changed() -> None:
    # After commit: bumping earlier would let a reader cache the old rows
    # under the new version.
    transaction.on_commit(bump_content_version)


@receiver([post_save, post_delete], sender=Post)
@receiver([post_save, post_delete], sender=Tag)
@receiver([post_save, post_delete], sender=Comment)
def blog_row_changed(**kwargs) -> None:
    content_changed()


@receiver(post_save, sender=Tag)
@receiver(pre_delete, sender=Tag)
def tag_changed(instance: Tag, **kwargs) -> None:
    # Before the delete, while the tag's rows in Post.tags still exist.
    if not kwargs.get("created"):
        touch(Post.objects.filter(tags=instance))


@receiver(m2m_changed, sender=Post.tags.through)
def post_tags_changed(instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if reverse and action == "pre_clear":
        # tag.posts.clear(): which posts lose the tag is known only before.
        touch(Post.objects.filter(tags=instance))
    if not action.startswith("post_"):
        return
    if not reverse:
        touch(Post.objects.filter(pk=instance.pk))
    elif pk_set:
        touch(Post.objects.filter(pk__in=pk_set))
    content_changed()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def author_changed(instance, created: bool, update_fields, **kwargs) -> None:
    if created or (update_fields is not None and not AUTHOR_FIELDS & update_fields):
        return
    if touch(Post.objects.filter(author=instance)):
        content_changed()
