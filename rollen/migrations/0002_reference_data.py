"""Reference data as it was when this migration was written: a frozen copy, so the migration
gives the same result whatever the live code (`rollen/reference.py`) later becomes. A test checks that
the two still agree (tests/test_reference_data.py)."""

from django.db import migrations

ROLES = [['ondernemer',
  'vernieuwende maatschappelijk ondernemer',
  'innovative social entrepreneur',
  'Ziet kansen in de samenleving en zet nieuwe ideeën om in initiatieven voor inwoners en '
  'ondernemers.',
  'Spots opportunities in society and turns new ideas into initiatives for residents and '
  'businesses.'],
 ['samenwerkingspartner',
  'verbindende samenwerkingspartner',
  'connecting partner',
  "Bouwt en onderhoudt relaties met inwoners, partners en collega's, binnen en buiten de "
  'organisatie.',
  'Builds and keeps relations with residents, partners and colleagues, inside and outside the '
  'organisation.'],
 ['vakman',
  'meedenkende vakman',
  'thinking-along professional',
  'Brengt vakkennis in en denkt mee over de beste oplossing voor de vraag van de inwoner.',
  "Brings expertise and thinks along about the best answer to the resident's question."],
 ['facilitator',
  'stimulerende facilitator/organisator',
  'stimulating facilitator/organiser',
  'Zorgt dat het team goed kan werken: planning, overleg, afspraken en ontwikkeling.',
  'Makes sure the team can work well: planning, meetings, agreements and development.']]


def create_roles(apps, schema_editor):
    model = apps.get_model("rollen", "Role")
    for order, (slug, name_nl, name_en, description_nl, description_en) in enumerate(ROLES, 1):
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
    dependencies = [('rollen', '0001_initial')]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
