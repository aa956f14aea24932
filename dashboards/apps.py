from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The read model: team figures and signals, team and organisation dashboards, cache."""

    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from common import start_sections
        from dashboards import freshness
        from dashboards.manager_start import render_manager_start

        # What the dashboards show is declared in dashboards.sources; keep their cache fresh.
        freshness.connect()
        # The managers' section of the portal's start page (dashboards.manager_start).
        start_sections.register("manager", render_manager_start)
