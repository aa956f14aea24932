from django.db import migrations

from doelen.reference import ensure_objectives


def create_objectives(apps, schema_editor):
    ensure_objectives(apps.get_model("doelen", "OrganisationObjective"))


class Migration(migrations.Migration):
    dependencies = [("doelen", "0002_initial")]

    operations = [migrations.RunPython(create_objectives, migrations.RunPython.noop)]
