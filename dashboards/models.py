from django.db import models
from django.utils.translation import gettext_lazy as _

from teams.models import Team


class TeamDataVersion(models.Model):
    """A number per team, raised after every committed write that changes what the dashboards
    show about the team (`dashboards.freshness`, from the sources declared in
    `dashboards.sources`). Cached dashboard figures and fragments carry it in their keys, so
    a change shows at once and a cache entry is never read after its data changed
    (`dashboards.cache`).

    A row of its own, written only by `dashboards.freshness`, so saving a Team loaded earlier
    cannot put an older number back. The number is the time of the latest change in
    microseconds (at least one more than before), so it only grows and never repeats, not
    even after restoring a backup. A team without a row has version 0 until its first
    change."""

    team = models.OneToOneField(
        Team,
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="dashboard_version",
    )
    number = models.BigIntegerField(_("data version"), default=1, editable=False)

    class Meta:
        verbose_name = _("team data version")
        verbose_name_plural = _("team data versions")

    def __str__(self):
        return f"{self.team_id}: {self.number}"
