"""Keep each goal's latest check-in on the goal (`Goal.last_check_in`), so pages that show
"latest progress" and "stale" read one row per goal instead of searching its check-ins.

The check-in service keeps it (doelen.services.goal_check_in, under the goal's row lock);
bulk loaders call `doelen.services.goals_recompute_last_check_in`. The backfill is
migration 0007.
"""

import django.db.models.deletion
from django.db import migrations, models

class Migration(migrations.Migration):
    dependencies = [("doelen", "0005_reminder_log")]

    operations = [
        migrations.AddField(
            model_name="goal",
            name="last_check_in",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="doelen.checkin",
                verbose_name="latest check-in",
            ),
        ),
    ]
