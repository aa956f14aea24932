"""Reference data as it was when this migration was written: a frozen copy, so the migration
gives the same result whatever the live code (`ontwikkeling/reference.py`) later becomes. A test checks that
the two still agree (tests/test_reference_data.py)."""

from django.db import migrations

THEMES = [['professionalisering', 'Professionalisering', 'Professional development'],
 ['zelfstandigheid', 'Zelfstandigheid', 'Autonomy'],
 ['samenwerken', 'Samenwerken', 'Collaboration'],
 ['resultaatgericht-werken', 'Resultaatgericht werken', 'Working towards results']]

STATEMENTS = {'professionalisering': [['We houden onze vakkennis actief bij.',
                          'We actively keep our expertise up to date.'],
                         ['We geven elkaar eerlijke feedback op ons werk.',
                          'We give each other honest feedback on our work.'],
                         ['We leren van fouten en bespreken ze open.',
                          'We learn from mistakes and discuss them openly.'],
                         ['Iedereen in het team werkt aan de eigen ontwikkeling.',
                          'Everyone in the team works on their own development.'],
                         ['We delen kennis, zodat het werk niet van één persoon afhangt.',
                          'We share knowledge, so the work does not depend on one person.']],
 'zelfstandigheid': [['We besluiten zelf hoe we ons werk doen.',
                      'We decide for ourselves how we do our work.'],
                     ['We lossen problemen eerst zelf op, voordat we de leidinggevende vragen.',
                      'We solve problems ourselves first, before we ask the manager.'],
                     ['We maken samen de planning van het team.',
                      "We make the team's planning together."],
                     ['We weten hoeveel ruimte we hebben om zelf dingen te regelen.',
                      'We know how much room we have to arrange things ourselves.'],
                     ['We spreken elkaar aan op afspraken.',
                      'We hold each other to our agreements.']],
 'samenwerken': [['We helpen elkaar als het druk is.', 'We help each other when it is busy.'],
                 ['We werken goed samen met andere teams.', 'We work well with other teams.'],
                 ['We betrekken inwoners en partners bij ons werk.',
                  'We involve residents and partners in our work.'],
                 ['In ons team kun je zeggen wat je denkt.',
                  'In our team you can say what you think.'],
                 ['We verdelen de taken eerlijk.', 'We divide the tasks fairly.']],
 'resultaatgericht-werken': [['We weten welke doelen ons team dit jaar wil halen.',
                              'We know which goals our team wants to reach this year.'],
                             ['We houden de voortgang van onze doelen bij.',
                              'We keep track of the progress of our goals.'],
                             ['We sturen bij als een doel niet lukt.',
                              'We change course when a goal is not working out.'],
                             ['We weten wat inwoners merken van ons werk.',
                              'We know what residents notice of our work.'],
                             ['We komen onze afspraken na.', 'We keep our agreements.']]}

RESPONSIBILITIES = [['planning', 'Planning en roosters', 'Planning and rosters'],
 ['verlof', 'Verlof goedkeuren', 'Approving leave'],
 ['budget', 'Teambudget', 'Team budget'],
 ['werving-en-selectie', 'Werving en selectie', 'Recruitment and selection'],
 ['contact-met-bestuur', 'Contact met het bestuur', 'Contact with the board'],
 ['inwerken', "Inwerken van nieuwe collega's", 'Onboarding new colleagues'],
 ['verzuim', 'Verzuim opvolgen', 'Following up sick leave'],
 ['opleiding', 'Opleidingen kiezen', 'Choosing training']]


def create_reference(apps, schema_editor):
    Theme = apps.get_model("ontwikkeling", "Theme")
    Statement = apps.get_model("ontwikkeling", "Statement")
    Responsibility = apps.get_model("ontwikkeling", "Responsibility")
    for order, (slug, name_nl, name_en) in enumerate(THEMES, 1):
        theme, created = Theme.objects.get_or_create(
            slug=slug, defaults={"name_nl": name_nl, "name_en": name_en, "order": order}
        )
        if created:
            for position, (text_nl, text_en) in enumerate(STATEMENTS[slug], 1):
                Statement.objects.create(theme=theme, text_nl=text_nl, text_en=text_en, order=position)
    for order, (slug, name_nl, name_en) in enumerate(RESPONSIBILITIES, 1):
        Responsibility.objects.get_or_create(
            slug=slug, defaults={"name_nl": name_nl, "name_en": name_en, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [('ontwikkeling', '0001_initial')]

    operations = [migrations.RunPython(create_reference, migrations.RunPython.noop)]
