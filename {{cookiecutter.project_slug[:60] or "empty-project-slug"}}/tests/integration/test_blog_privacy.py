"""Visitors see authors by their display names, never by e-mail address: an
address on a public page is an invitation to harvest it."""

import re

import pytest
from django.urls import reverse

from {{ cookiecutter.project_slug }}.blog.models import Comment
from {{ cookiecutter.project_slug }}.users.models import User

from ..factories import PASSWORD, UserFactory
from .blog import make_posts

pytestmark = pytest.mark.django_db

ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def test_visitors_see_display_names_and_no_address(client):
    [post] = make_posts(1)
    commenter = UserFactory.create()
    Comment.objects.create(post=post, author=commenter, body="Nice post")

    listing = client.get(reverse("blog:posts")).text
    detail = client.get(reverse("blog:post", args=[post.slug])).text

    assert post.author.display_name in listing
    assert commenter.display_name in detail
    assert ADDRESS.search(listing) is None
    assert ADDRESS.search(detail) is None


def test_a_new_account_is_shown_by_a_name_that_is_not_its_address():
    user = User.objects.create_user(email="new@example.com", password=PASSWORD)

    assert user.display_name == "Member"
