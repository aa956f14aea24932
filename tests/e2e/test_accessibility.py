"""What keyboard and low-vision users meet, measured in the browser (issue #16).

Automated engines passed while focus was invisible in the menu, so this test computes it:
for every page of a crawl set, as every persona, it tabs through the page and for each element
that receives focus compares the colours of its focus indicator (outline, box-shadow) with the
background behind it (the element's ancestors). It also checks reflow at 320 px and the
contrast of form-control borders.
"""

import pytest
from django.template import loader

from doelen.models import Goal
from ontwikkeling.models import ScanRound
from ontwikkeling.reference import ensure_reference
from teams.models import Team
from tests.e2e.conftest import DESKTOP, assert_accessible, axe_violations, log_in, screenshot
from tests.ontwikkeling.helpers import make_round

# Colour maths and the checks, in the page. Loaded through the DevTools protocol.
MEASURE = r"""
(() => {
  if (window.__zs) { return; }
  function parse(c) {
    const m = c && c.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
    if (!m) { return null; }
    return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
  }
  function over(top, bottom) {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  }
  function lum(c) {
    const f = v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  }
  function ratio(a, b) {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  }
  // The background an element sits on: its ancestors' background colours, composited.
  function backdrop(el) {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) { break; } }
    }
    let colour = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) { colour = over(layers[i], colour); }
    return colour;
  }
  function name(el) {
    let s = el.tagName.toLowerCase();
    if (el.id) { s += "#" + el.id; }
    if (el.className && typeof el.className === "string") {
      s += "." + el.className.trim().split(/\s+/).slice(0, 3).join(".");
    }
    const text = (el.getAttribute("aria-label") || el.textContent || el.value || "").trim();
    return s + ' "' + text.replace(/\s+/g, " ").slice(0, 40) + '"';
  }
  function focusIndicator(el) {
    const style = getComputedStyle(el);
    const outside = backdrop(el.parentElement || el);
    const inside = backdrop(el);
    const found = [];
    const width = parseFloat(style.outlineWidth);
    if (style.outlineStyle !== "none" && width >= 2) {
      const c = parse(style.outlineColor);
      if (c && c[3] > 0) {
        const offset = parseFloat(style.outlineOffset);
        const bg = offset < 0 ? inside : outside;
        found.push({what: "outline", ratio: ratio(over(c, bg), bg)});
      }
    }
    // Each box-shadow ring "rgb(…) 0px 0px 0px 3px" with a spread of at least 2px.
    const shadows = style.boxShadow === "none" ? [] : style.boxShadow.split(/,(?![^(]*\))/);
    for (const shadow of shadows) {
      const c = parse(shadow);
      const px = (shadow.replace(/rgba?\([^)]*\)/, "").match(/-?[\d.]+px/g) || []).map(parseFloat);
      const spread = px.length >= 4 ? px[3] : 0;
      if (c && c[3] > 0 && spread >= 2 && !/inset/.test(shadow)) {
        found.push({what: "box-shadow", ratio: ratio(over(c, outside), outside)});
      }
    }
    const best = found.reduce((m, f) => Math.max(m, f.ratio), 0);
    return {element: name(el), best: Math.round(best * 100) / 100, found: found};
  }
  window.__zs = {focus: [], focusIndicator: focusIndicator, ratio: ratio, parse: parse,
    backdrop: backdrop, name: name, over: over};
  document.addEventListener("focusin", (event) => {
    window.__zs.focus.push(focusIndicator(event.target));
  }, true);
})();
"""

CONTROL_BORDERS = r"""
() => {
  const z = window.__zs;
  const bad = [];
  const controls = document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea");
  for (const el of controls) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === "hidden") { continue; }
    const style = getComputedStyle(el);
    const width = parseFloat(style.borderTopWidth);
    const bg = z.backdrop(el.parentElement);
    const c = z.parse(style.borderTopColor);
    const r = width > 0 && c ? z.ratio(z.over(c, bg), bg) : 0;
    if (r < 3) { bad.push(z.name(el) + " border " + r.toFixed(2) + ":1"); }
  }
  return bad;
}
"""


def tab_through(page, limit=400):
    """Tab from the top of the page until focus comes round again; the focus records."""
    page.evaluate(MEASURE)
    page.evaluate("window.__zs.focus = []; document.activeElement && document.activeElement.blur()")
    seen = 0
    for _ in range(limit):
        page.keyboard.press("Tab")
        records, round_again = page.evaluate(
            "() => { const f = window.__zs.focus;"
            " return [f.length, f.length > 1 && f[f.length - 1].element === f[0].element]; }"
        )
        if records == seen or round_again:  # focus left the page, or came round again
            break
        seen = records
    return page.evaluate("window.__zs.focus")


def check_page(page, url, problems, figures):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    path = url.split("//", 1)[1].split("/", 1)[1]
    records = tab_through(page)
    assert records, f"/{path}: nothing receives focus"
    for record in records:
        figures.append((f"/{path}", record["element"], record["best"]))
        if record["best"] < 3:
            problems.append(f"/{path}: focus on {record['element']} {record['best']}:1")
    for bad in page.evaluate(CONTROL_BORDERS):
        problems.append(f"/{path}: {bad}")
    # Let the buttons' colour transitions (0.15 s) finish after the last blur before axe looks.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(300)
    for violation in axe_violations(page):  # and the engines stay clean
        problems.append(f"/{path}: axe {violation['id']} {violation['nodes']}")


def check_reflow(page, url, problems):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 320:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(el => {
                 const r = el.getBoundingClientRect();
                 return r.right > 321 && getComputedStyle(el).position !== 'fixed' &&
                   !el.closest('.table-responsive, .heatmap-scroll');
               }).slice(0, 3).map(el => el.tagName + '.' + el.className)"""
        )
        problems.append(f"{url}: {width}px wide at 320px ({wide})")


@pytest.fixture
def crawl(demo_org):
    ensure_reference()
    team = Team.objects.get(name="Burgerzaken")
    ScanRound.objects.filter(team=team).delete()
    make_round(team)  # an open round: the scan page shows its form (radio groups)
    goal = Goal.objects.filter(team=team).order_by("pk").first()
    managed = Team.objects.filter(managers__username="leidinggevende").order_by("name").first()
    member = [
        "/",
        f"/teams/{team.slug}/",
        f"/teams/{team.slug}/doelen/nieuw/",
        f"/ontwikkeling/teams/{team.slug}/",
        f"/ontwikkeling/teams/{team.slug}/scan/",
        "/instellingen/",
        "/mijn-gegevens/",
        "/account/password_change/",
        "/toegankelijkheid/",
        "/rollen/",  # 403 for a member
        "/bestaat-niet/",  # 404
    ]
    if goal is not None:
        member.append(f"/doelen/{goal.pk}/")
    manager = ["/dashboard/"]
    if managed is not None:
        manager += [f"/dashboard/teams/{managed.slug}/", f"/ontwikkeling/teams/{managed.slug}/"]
    hr = [
        "/rollen/",
        "/rollen/personen/",
        "/rollen/vergelijken/",
        "/rollen/import/",
        "/audit/",
        "/dashboard/organisatie/",
        "/ontwikkeling/organisatie/",
    ]
    anonymous = ["/account/login/", "/account/password_reset/", "/toegankelijkheid/"]
    return {"medewerker": member, "leidinggevende": manager, "hr": hr, None: anonymous}


def test_focus_is_visible_borders_contrast_and_pages_reflow(browser, live_server, crawl):
    problems, reflow, figures = [], [], []
    for persona, paths in crawl.items():
        desk = browser.new_context(viewport=DESKTOP, locale="nl-NL")
        narrow = browser.new_context(viewport={"width": 320, "height": 720}, locale="nl-NL")
        desk.set_default_timeout(15_000)
        narrow.set_default_timeout(15_000)
        page, small = desk.new_page(), narrow.new_page()
        if persona:
            log_in(page, live_server, persona)
            log_in(small, live_server, persona)
        for path in paths:
            check_page(page, live_server.url + path, problems, figures)
            check_reflow(small, live_server.url + path, reflow)
        desk.close()
        narrow.close()
    # The 500 page (rendered without a request, as handler500 does) and the CSRF failure page.
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    page.goto(live_server.url + "/toegankelijkheid/")
    page.set_content(loader.get_template("500.html").render({}))
    records = tab_through(page)
    problems += [f"500: {r['element']} {r['best']}:1" for r in records if r["best"] < 3]
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.locator("main a").first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    screenshot(page, "error-500-focus")
    context.close()
    assert len(figures) > 100, "the crawl reached too few focusable elements"
    lowest = min(figures, key=lambda figure: figure[2])
    print(f"focus: {len(figures)} focus stops, lowest {lowest}")  # noqa: T201 - for the report
    assert problems == [], "\n".join(problems)
    assert reflow == [], "\n".join(reflow)


def test_focus_figures_on_header_white_and_error_summary(page, live_server, demo_org):
    """The figures the statement and issue #16 name: the main menu on the teal header, a
    link on white, the error summary (pink) after a failed log-in."""
    log_in(page, live_server, "medewerker")
    page.evaluate(MEASURE)
    nav = page.locator("#main-nav .nav-link").first
    nav.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    header = page.evaluate("window.__zs.focusIndicator(document.activeElement)")
    assert header["best"] >= 3, header
    screenshot(page, "focus-header")
    summary = page.locator("details.user-menu > summary")
    summary.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    user_menu = page.evaluate("window.__zs.focusIndicator(document.activeElement)")
    assert "summary" in user_menu["element"] and user_menu["best"] >= 3, user_menu
    page.goto(live_server.url + "/teams/burgerzaken/doelen/nieuw/")
    page.get_by_role("button", name="Doel toevoegen").first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    page.evaluate(MEASURE)
    button = page.evaluate("window.__zs.focusIndicator(document.activeElement)")
    assert button["best"] >= 3, button
    screenshot(page, "focus-button")
    page.get_by_role("button", name="Doel toevoegen").first.click()
    page.wait_for_load_state("networkidle")
    page.evaluate(MEASURE)
    link = page.locator("#error-summary a").first
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    in_summary = page.evaluate("window.__zs.focusIndicator(document.activeElement)")
    assert in_summary["best"] >= 3, in_summary
    screenshot(page, "focus-error-summary")
    print("focus figures", header, user_menu, button, in_summary)  # noqa: T201 - for the report
    assert_accessible(page)
