"""Reference data as it was when this migration was written: a frozen copy, so the migration
gives the same result whatever the live code (`doelen/reference.py`) later becomes. A test checks that
the two still agree (tests/test_reference_data.py)."""

from django.db import migrations

OBJECTIVES = [['kwaliteit',
  'Hogere kwaliteit van dienstverlening',
  'Higher quality of service',
  'Inwoners en ondernemers krijgen betere en snellere dienstverlening.',
  'Residents and businesses get better and faster service.'],
 ['dichtbij',
  'Dienstverlening dichtbij inwoners en ondernemers',
  'Service close to residents and businesses',
  'De organisatie is dichtbij en bereikbaar voor wie haar nodig heeft.',
  'The organisation is close by and easy to reach for those who need it.'],
 ['kosten',
  'Beheersing van kosten',
  'Cost control',
  'De kosten van de organisatie blijven beheersbaar.',
  'The organisation keeps its costs under control.'],
 ['kwetsbaarheid',
  'Minder kwetsbaarheid',
  'Less vulnerability',
  'Kennis en taken liggen niet bij één persoon; het werk gaat door als iemand uitvalt.',
  'Knowledge and tasks do not rest on one person; the work goes on when someone is away.'],
 ['lokale-kleur',
  'Behoud van de lokale kleur',
  'Keeping the local character',
  'Boxtel en Sint-Michielsgestel houden hun eigen karakter.',
  'Boxtel and Sint-Michielsgestel keep their own character.']]


def create_objectives(apps, schema_editor):
    model = apps.get_model("doelen", "OrganisationObjective")
    for order, (slug, name_nl, name_en, description_nl, description_en) in enumerate(OBJECTIVES, 1):
        model.objects.get_or_create(
            slug=slug,
            defaults={
                "name_nl": name_nl,
                "name_en": name_en,
                "description_nl": description_nl,
                "description_en": description_en,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [('doelen', '0001_initial')]

    operations = [migrations.RunPython(create_objectives, migrations.RunPython.noop)]
