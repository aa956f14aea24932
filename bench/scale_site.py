"""What both ways of measuring bench/scale.py share: the floor (a minimal logged-in page),
the URLconf with it (ROOT_URLCONF, after Django is set up), the session setting of
`random_page_cost` and the pages measured."""

from django.http import HttpResponse
from django.urls import include, path
from django.utils.html import escape


def floor(request):
    return HttpResponse(
        f"<!doctype html><title>floor</title><p>{escape(request.user.get_full_name())}</p>"
    )


urlpatterns = [path("bench-floor/", floor), path("", include("zelfsturing.urls"))]


def set_random_page_cost(value: str) -> None:
    """Every new PostgreSQL session runs `SET random_page_cost` (the setting
    docs/deployment.md recommends for SSD storage); "server" keeps the server's."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    if connection.vendor != "postgresql" or value == "server":
        return
    cost = float(value)

    def on_connect(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SET random_page_cost = %s", [cost])

    connection_created.connect(on_connect, weak=False)
    connection.close()  # the next query opens a session with the setting


def pages() -> dict[str, tuple[str, str]]:
    """{page name: (username, url)}: the manager is the demo `leidinggevende` (4 teams), HR
    the demo `hr` (every team), the member `medewerker`."""
    from doelen.models import Goal
    from teams.models import Team

    team = Team.objects.filter(managers__username="leidinggevende").order_by("pk").first()
    goal = Goal.objects.filter(team=team, status="active").order_by("pk").first()
    m, h = "leidinggevende", "hr"
    return {
        "floor": (m, "/bench-floor/"),
        "start page": (m, "/"),
        "team page": (m, f"/teams/{team.slug}/"),
        "goal page": (m, f"/doelen/{goal.pk}/"),
        "goal edit form": (m, f"/doelen/{goal.pk}/bewerken/"),
        "new goal form": (m, f"/teams/{team.slug}/doelen/nieuw/"),
        "manager dashboard": (m, "/dashboard/"),
        "team dashboard": (m, f"/dashboard/teams/{team.slug}/"),
        "HR dashboard, all teams": (h, "/dashboard/"),
        "organisation view": (h, "/dashboard/organisatie/"),
        "development, organisation": (h, "/ontwikkeling/organisatie/"),
        "/rollen/ overview": (h, "/rollen/"),
        "/rollen/personen/": (h, "/rollen/personen/"),
        "/rollen/vergelijken/": (h, "/rollen/vergelijken/"),
        "/rollen/aantallen/": (h, "/rollen/aantallen/"),
        "/rollen/mensen/": (h, "/rollen/mensen/"),
        "/rollen/audit/": (h, "/rollen/audit/"),
        "my data": ("medewerker", "/mijn-gegevens/"),
    }


def result(*, timings: dict, sizes: dict, queries: dict, cache: str, random_page_cost: str):
    """One size's figures as bench/scale.py reports them: medians in ms per page, its
    queries (a dash where not counted) and rendered size, and the floor."""
    import statistics

    from django.db import connection

    from teams.models import Employee, Team

    return {
        "database": connection.vendor,
        "cache": cache,
        "teams": Team.objects.count(),
        "employees": Employee.objects.count(),
        "floor_ms": statistics.median(timings["floor"]["cold"] + timings["floor"]["warm"]),
        "random_page_cost": random_page_cost,
        "pages": {
            name: {
                "cold_ms": statistics.median(times["cold"]),
                "warm_ms": statistics.median(times["warm"]),
                "morning_ms": statistics.median(times["morning"] or [0]),
                "queries": queries.get(name, "–"),
                "bytes": sizes[name],
            }
            for name, times in timings.items()
            if name != "floor"
        },
    }
