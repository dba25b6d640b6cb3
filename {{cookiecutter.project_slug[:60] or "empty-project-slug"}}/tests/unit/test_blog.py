from django.db.migrations.loader import MigrationLoader

from {{ cookiecutter.project_slug }}.blog.models import LIST_FIELDS

LIST_INDEXES = {
    "blog_post_published_idx": ["-published_at"],
    "blog_post_author_pub_idx": ["author", "-published_at"],
}


def test_post_cards_never_load_the_body():
    assert "body" not in LIST_FIELDS


def test_the_migrations_create_the_indexes_the_list_pages_use():
    # Reads the migration files only: no database needed.
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    indexes = state.models["blog", "post"].options["indexes"]
    assert {index.name: index.fields for index in indexes} == LIST_INDEXES
