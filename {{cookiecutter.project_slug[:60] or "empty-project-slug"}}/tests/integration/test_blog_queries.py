"""The blog pages make a fixed number of queries whatever the number of rows.

Each count is taken with a few rows and with many (50 posts fill three list pages):
a query per row would add dozens."""

import pytest
{%- if cookiecutter.database == "postgresql" %}
from django.db import connection
{%- endif %}
from django.urls import reverse
{%- if cookiecutter.database == "postgresql" %}

{% if cookiecutter.use_service_layer -%}
from {{ cookiecutter.project_slug }}.blog.selectors import post_list
{%- else -%}
from {{ cookiecutter.project_slug }}.blog.models import Post
{%- endif %}
{%- endif %}

from .blog import AppQueries, make_posts

pytestmark = pytest.mark.django_db

# Count, posts (with author and comment count), their tags, popular tags.
LIST_QUERIES = 4
# The post with its author, its tags, its comments with their authors.
DETAIL_QUERIES = 3


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_page_makes_the_same_queries_for_5_and_50_posts(client, rows):
    make_posts(rows)

    with AppQueries() as queries:
        response = client.get(reverse("blog:posts"))

    assert response.status_code == 200
    assert len(queries) == LIST_QUERIES, queries.app_queries
    assert "Post 0" in response.text


@pytest.mark.parametrize("rows", [5, 50])
def test_the_tag_filter_makes_the_same_queries_for_5_and_50_posts(client, rows):
    make_posts(rows)

    with AppQueries() as queries:
        response = client.get(reverse("blog:posts"), {"tag": "python"})

    assert response.status_code == 200
    assert len(queries) == LIST_QUERIES, queries.app_queries
    assert "#python" in response.text


@pytest.mark.parametrize("comments", [5, 50])
def test_the_detail_page_makes_the_same_queries_for_5_and_50_comments(client, comments):
    [post] = make_posts(1, comments_per_post=comments)

    with AppQueries() as queries:
        response = client.get(reverse("blog:post", args=[post.slug]))

    assert response.status_code == 200
    assert len(queries) == DETAIL_QUERIES, queries.app_queries
    assert response.text.count('class="comment"') == comments


def test_unpublished_and_unknown_posts_are_not_found(client):
    [post] = make_posts(1)
    post.published_at = None
    post.save()

    assert client.get(reverse("blog:post", args=[post.slug])).status_code == 404
    assert client.get(reverse("blog:post", args=["no-such-post"])).status_code == 404
{%- if cookiecutter.database == "postgresql" %}


def test_the_list_query_walks_the_published_at_index():
    make_posts(50)
    with connection.cursor() as cursor:
        # Tiny, unanalysed tables make a sequential scan and a sort cheapest;
        # forbid both to see whether an index gives the order (SET LOCAL ends
        # with the test's transaction).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
{%- if cookiecutter.use_service_layer %}
    plan = post_list()[:20].explain()
{%- else %}
    plan = Post.objects.for_list()[:20].explain()
{%- endif %}

    assert "blog_post_published_idx" in plan
{%- endif %}


@pytest.mark.parametrize("page", ["post", "comment"])
def test_the_admin_lists_make_the_same_queries_for_5_and_20_rows(admin_client, page):
    url = reverse(f"admin:blog_{page}_changelist")
    make_posts(5)
    with AppQueries() as few:
        assert admin_client.get(url).status_code == 200
    make_posts(15, first=5)
    with AppQueries() as many:
        assert admin_client.get(url).status_code == 200

    assert len(many) == len(few), many.app_queries
