from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    """The table behind the database cache, created with the rest of the schema."""

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
