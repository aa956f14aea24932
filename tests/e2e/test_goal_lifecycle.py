"""Browser journey (#17): a goal page with its freshness mark and an overdue goal whose
200-character title wraps, then closing the team's period up to the preview and the
confirmation. axe-core on each page, screenshots at 1366 and 390 px."""

import datetime

from django.utils import timezone

from doelen.models import Goal, GoalStatus
from teams.models import Employee, Membership
from tests.e2e.conftest import PHONE, assert_accessible, log_in, screenshot

WIDE = {"width": 1366, "height": 900}
LONG_TITLE = "Klanttevredenheid" * 11 + "xyz"  # 190 characters, no space


def _no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_goal_freshness_and_closing_the_period(browser, page, live_server, demo_org):
    member = Employee.objects.get(username="medewerker")
    team = Membership.objects.current().filter(employee=member).first().team
    today = timezone.localdate()
    goal = Goal.objects.create(
        team=team,
        title=LONG_TITLE,
        start_date=today - datetime.timedelta(days=120),
        due_date=today - datetime.timedelta(days=2),
        owner=member,
    )
    Goal.objects.filter(pk=goal.pk).update(created_at=timezone.now() - datetime.timedelta(days=100))
    page.set_viewport_size(WIDE)
    log_in(page, live_server, "medewerker")

    page.goto(f"{live_server.url}{goal.get_absolute_url()}")
    assert page.locator(".goal-freshness-due").get_by_text("update te laat").is_visible()
    assert page.get_by_text("nog geen update").first.is_visible()
    assert page.locator(".goal-overdue").get_by_text("te laat").is_visible()
    assert_accessible(page)
    _no_horizontal_scroll(page)
    screenshot(page, "goal-lifecycle-desktop")
    page.set_viewport_size(PHONE)
    _no_horizontal_scroll(page)
    screenshot(page, "goal-lifecycle-phone")

    page.set_viewport_size(WIDE)
    page.goto(f"{live_server.url}{team.get_absolute_url()}")
    _no_horizontal_scroll(page)
    assert page.locator(".card-goal .goal-freshness").count() >= 1
    page.get_by_role("link", name="Periode afsluiten").click()
    page.get_by_role("heading", name=f"Periode afsluiten voor {team.name}").wait_for()
    assert_accessible(page)
    page.get_by_label("Sluit de doelen af (ze worden gearchiveerd)").check()
    page.get_by_role("button", name="Laat zien wat er gebeurt").click()
    preview = page.get_by_role("table", name="Lopende doelen en wat er met elk doel gebeurt")
    preview.wait_for()
    remaining = Goal.objects.filter(team=team, status=GoalStatus.ACTIVE).count()
    assert remaining >= 1  # the preview changed nothing
    assert (
        preview.locator("tbody tr").count()
        == Goal.objects.running(today).filter(team=team).count()
        + Goal.objects.overdue(today).filter(team=team).count()
    )
    assert_accessible(page)
    _no_horizontal_scroll(page)
    screenshot(page, "period-close-preview-desktop")
    page.set_viewport_size(PHONE)
    _no_horizontal_scroll(page)
    screenshot(page, "period-close-preview-phone")
    page.get_by_role("button", name="Doe dit voor").click()
    page.wait_for_url(f"**{team.get_absolute_url()}")
    assert page.get_by_text("doelen zijn afgesloten of overgezet").is_visible()
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ARCHIVED
