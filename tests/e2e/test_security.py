"""The Content-Security-Policy in a real browser: the portal's pages run under it without
violations, and what it blocks (style attributes, inline script) really is blocked."""

from doelen.models import Goal
from tests.e2e.conftest import log_in, screenshot

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = e.sourceFile + ":" + e.lineNumber;
  window.__csp.push(e.effectiveDirective + " " + (e.blockedURI || "inline") + " " + where);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_pages_run_without_csp_violations(page, live_server, demo_org):
    page.add_init_script(WATCH)  # runs through the DevTools protocol, not as inline script
    goal = Goal.objects.filter(team__slug="burgerzaken").order_by("pk").first()
    log_in(page, live_server, "leidinggevende")
    pages = [
        "/",
        "/teams/burgerzaken/",
        "/dashboard/",
        "/mijn-gegevens/",
        "/account/password_change/",
    ]
    if goal is not None:
        pages.append(f"/doelen/{goal.pk}/")
    for path in pages:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path
    screenshot(page, "security-goal-page")
    # Progress bars are SVG sized by attributes, not by a (blocked) style attribute.
    bars = page.locator(".goal-bar svg")
    for index in range(bars.count()):
        assert bars.nth(index).evaluate("el => el.getBoundingClientRect().width") > 0


def test_hr_pages_run_without_csp_violations(page, live_server, demo_org):
    page.add_init_script(WATCH)
    log_in(page, live_server, "hr")
    for path in ["/audit/", "/rollen/", "/dashboard/organisatie/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path


def test_the_policy_blocks_inline_script_and_style_attributes(page, live_server, demo_org):
    page.add_init_script(WATCH)
    log_in(page, live_server, "medewerker")
    blocked = page.evaluate(
        """() => {
        const div = document.createElement("div");
        div.setAttribute("style", "width: 123px");  // a style attribute, as a template would
        document.body.appendChild(div);
        const script = document.createElement("script");
        script.textContent = "window.__inline_ran = true;";
        document.body.appendChild(script);
        return {width: div.getBoundingClientRect().width, ran: !!window.__inline_ran};
        }"""
    )
    assert blocked["width"] != 123
    assert blocked["ran"] is False
    found = " ".join(violations(page))
    assert "style-src-attr" in found and "script-src-elem" in found


def test_admin_runs_without_csp_violations(page, live_server, demo_org):
    page.add_init_script(WATCH)
    log_in(page, live_server, "beheer")
    for path in ["/admin/", "/admin/teams/employee/", "/admin/doelen/goal/1/change/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path
