"""Widen the check-in index (goal, -created_at) with the confidence, so the dashboards'
confidence trend (check-ins of the teams' goals in two periods, counted per confidence) is
answered from the index alone. The new index is built before the old one goes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("doelen", "0007_backfill_last_check_in")]

    operations = [
        migrations.AddIndex(
            model_name="checkin",
            index=models.Index(
                fields=["goal", "-created_at", "confidence"],
                name="doelen_chec_goal_id_062865_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="checkin", name="doelen_chec_goal_id_1670e6_idx"),
    ]
