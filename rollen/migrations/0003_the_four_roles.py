from django.db import migrations

from rollen.reference import ensure_roles


def create_roles(apps, schema_editor):
    ensure_roles(apps.get_model("rollen", "Role"))


class Migration(migrations.Migration):
    dependencies = [("rollen", "0002_initial")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
