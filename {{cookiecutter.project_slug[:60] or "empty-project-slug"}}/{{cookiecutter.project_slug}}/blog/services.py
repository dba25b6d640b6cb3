"""Writes to the blog: validation, the transaction, and nothing else; the
cache invalidation that follows every write lives in signals.py, so admin
edits invalidate too."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from {{ cookiecutter.project_slug }}.users.models import User

from .models import Comment, Post, Tag


def post_create(
    *,
    author: User,
    title: str,
    slug: str,
    body: str,
    summary: str = "",
    tags: Iterable[Tag] = (),
    published_at: datetime | None = None,
) -> Post:
    post = Post(
        author=author,
        title=title,
        slug=slug,
        body=body,
        summary=summary,
        published_at=published_at,
    )
    post.full_clean()
    with transaction.atomic():
        post.save()
        post.tags.set(tags)
    return post


def comment_create(*, post: Post, author: User, body: str) -> Comment:
    comment = Comment(post=post, author=author, body=body)
    comment.full_clean()
    with transaction.atomic():
        comment.save()
    return comment
