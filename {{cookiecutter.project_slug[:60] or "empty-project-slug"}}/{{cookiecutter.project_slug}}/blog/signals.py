"""Every committed write to the blog invalidates its cached reads (caching.py)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .caching import bump_content_version
from .models import Comment, Post, Tag


@receiver([post_save, post_delete], sender=Post)
@receiver([post_save, post_delete], sender=Tag)
@receiver([post_save, post_delete], sender=Comment)
def content_changed(**kwargs) -> None:
    # After commit: bumping earlier would let a reader cache the old rows
    # under the new version.
    transaction.on_commit(bump_content_version)


@receiver(m2m_changed, sender=Post.tags.through)
def post_tags_changed(instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    # A post's card shows its tags: touch updated_at so its fragment is redone.
    post_ids = pk_set if reverse else {instance.pk}
    Post.objects.filter(pk__in=post_ids or ()).update(updated_at=timezone.now())
    transaction.on_commit(bump_content_version)
