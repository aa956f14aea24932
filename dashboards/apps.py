from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The read model: team figures and signals, team and organisation dashboards, cache."""

    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from dashboards import freshness

        # What the dashboards show is declared in dashboards.sources; keep their cache fresh.
        freshness.connect()
