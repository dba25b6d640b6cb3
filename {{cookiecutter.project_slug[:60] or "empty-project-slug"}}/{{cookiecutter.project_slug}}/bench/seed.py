"""Bulk data for tests and the benchmark: many posts in a handful of queries."""

from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from {{ cookiecutter.project_slug }}.blog.models import Comment, Post, Tag
from {{ cookiecutter.project_slug }}.users.models import User


def seed_posts(
    *,
    author: User,
    numbers: range,
    tag_names: Iterable[str],
    label: str = "Post",
    comments_per_post: int = 2,
) -> list[Post]:
    """Published posts titled "<label> <number>", newer for lower numbers, each
    with two of the tags and ``comments_per_post`` comments."""
    tags = [
        Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in tag_names
    ]
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            author=author,
            title=f"{label} {number}",
            slug=slugify(f"{label} {number}"),
            summary=f"Summary {number}",
            body="A long body. " * 200,
            published_at=now - timedelta(minutes=number),
        )
        for number in numbers
    )
    Post.tags.through.objects.bulk_create(
        Post.tags.through(post=post, tag=tag)
        for index, post in enumerate(posts)
        for tag in (tags[index % len(tags)], tags[(index + 1) % len(tags)])
    )
    Comment.objects.bulk_create(
        Comment(post=post, author=author, body=f"Comment {number}")
        for post in posts
        for number in range(comments_per_post)
    )
    return posts
