"""Reference data as it was when this migration was written: a frozen copy, so the migration
gives the same result whatever the live code (`teams/reference.py`) later becomes. A test checks that
the two still agree (tests/test_reference_data.py)."""

from django.db import migrations

GROUPS = ['hr', 'management']


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [('teams', '0001_initial'), ('auth', '0012_alter_user_first_name_max_length')]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
