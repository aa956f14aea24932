"""Goals stored before dates were limited (a typed 9999-12-31, whose page failed) are held
at the nearest bound, so that 0013 can add the constraint and their pages show again."""

import datetime

from django.db import migrations, models

# The bounds as they were when this migration was written (common/dates.py may change).
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def clamp_dates(apps, schema_editor):
    Goal = apps.get_model("doelen", "Goal")
    out = Goal.objects.filter(
        models.Q(start_date__lt=EARLIEST)
        | models.Q(start_date__gt=LATEST)
        | models.Q(due_date__lt=EARLIEST)
        | models.Q(due_date__gt=LATEST)
    )
    for goal in out:
        start = min(max(goal.start_date, EARLIEST), LATEST)
        due = min(max(goal.due_date, start), LATEST)
        Goal.objects.filter(pk=goal.pk).update(start_date=start, due_date=due)


class Migration(migrations.Migration):
    dependencies = [("doelen", "0011_remove_reminderlog")]

    operations = [migrations.RunPython(clamp_dates, migrations.RunPython.noop)]
