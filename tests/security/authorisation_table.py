"""Who may open which page: the one table the authorisation matrix test checks.

Every URL name of the project has a row: the expected outcome of a GET and of a POST (empty
body) for each persona, in this order:

    anonymous, member of the team, member of another team, manager of the team,
    manager of another team, HR, superuser (functional administrator).

Outcomes:
    OK     allowed: 2xx, a redirect that is not to the log-in page, or 400 (form errors)
    LOGIN  redirected to the log-in page
    DENY   403 (forbidden) or 404 (not found)
    NO     405: this method is not accepted
    TOKEN  401: only a service-account key opens it (the reporting API); a personal
           sign-in does not, so every persona gets 401

A new page? Add a row (reuse one of the named rules when it fits) and regenerate the doc:
    .venv/bin/python -m tests.security.authorisation_table > docs/authorisation.md
"""

from collections.abc import Callable
from dataclasses import dataclass, field

OK, LOGIN, DENY, NO, TOKEN = "OK", "LOGIN", "DENY", "NO", "TOKEN"

PERSONA_LABELS = (
    ("anonymous", "anonymous"),
    ("member", "member"),
    ("other_member", "member of other team"),
    ("manager", "manager"),
    ("other_manager", "manager of other team"),
    ("hr", "HR"),
    ("superuser", "superuser"),
)

# Named rules: one outcome per persona, in the order above.
#                 anon   member other_m manager other_mgr hr    superuser
PUBLIC = (OK, OK, OK, OK, OK, OK, OK)
LOGGED_IN = (LOGIN, OK, OK, OK, OK, OK, OK)
TEAM_EDITORS = (LOGIN, OK, DENY, OK, DENY, DENY, OK)
TEAM_MEMBERS_ONLY = (LOGIN, OK, DENY, DENY, DENY, DENY, DENY)
TEAM_READERS = (LOGIN, OK, DENY, OK, DENY, OK, OK)  # the team, its managers, HR
HR_ONLY = (LOGIN, DENY, DENY, DENY, DENY, OK, OK)
OWNER_ONLY = (LOGIN, OK, DENY, DENY, DENY, DENY, DENY)  # the member owns the sample
NOT_ALLOWED = (LOGIN, NO, NO, NO, NO, NO, NO)  # log-in is checked before the method
PUBLIC_NOT_ALLOWED = (NO, NO, NO, NO, NO, NO, NO)
LOGS_OUT = (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)  # success goes to log-in
API_KEY_ONLY = (TOKEN, TOKEN, TOKEN, TOKEN, TOKEN, TOKEN, TOKEN)  # tests/api/ check the keys
NOWHERE = (DENY, DENY, DENY, DENY, DENY, DENY, DENY)


@dataclass(frozen=True)
class Row:
    get: tuple
    post: tuple
    note: str = ""
    # URL parameters beyond the defaults in tests/security/patterns.py (slug = the team).
    kwargs: Callable = field(default=lambda samples: {}, compare=False)


def goal(samples) -> dict:
    return {"pk": samples.goal.pk}


def agreement(samples) -> dict:
    return {"pk": samples.extra["agreement"]}


def contribution(samples) -> dict:
    return {"pk": samples.goal.pk, "contribution": samples.extra["contribution"]}


def person(samples) -> dict:
    return {"pk": samples.member.pk}


def intention(samples) -> dict:
    return {"pk": samples.extra["intention"]}


def import_file(samples) -> dict:
    return {"pk": samples.extra["import_file"]}


def export_file(samples) -> dict:
    return {"pk": samples.extra["export_file"]}


TABLE: dict[str, Row] = {
    # Start page and team pages: self-steering teams work in the open, so every logged-in
    # employee reads; members and the team's managers change.
    "home": Row(LOGGED_IN, NOT_ALLOWED, "start page, own teams"),
    "team_detail": Row(LOGGED_IN, NOT_ALLOWED, "team page, read by all"),
    # Team goals (doelen)
    "doelen:detail": Row(LOGGED_IN, TEAM_EDITORS, "goal page; POST records a check-in", goal),
    "doelen:edit": Row(TEAM_EDITORS, TEAM_EDITORS, "edit a goal", goal),
    "doelen:status": Row(NOT_ALLOWED, TEAM_EDITORS, "achieve/stop/archive a goal", goal),
    "doelen:carry_over": Row(NOT_ALLOWED, TEAM_EDITORS, "carry a goal over", goal),
    "doelen:new": Row(TEAM_EDITORS, TEAM_EDITORS, "new goal for the team"),
    "doelen:period_close": Row(TEAM_EDITORS, TEAM_EDITORS, "close the period for a team"),
    # Steering day to day (docs/decisions/0017-nudges-and-reactions.md)
    "doelen:request_update": Row(
        NOT_ALLOWED, TEAM_EDITORS, "ask a goal's owner for an update (e-mail)", goal
    ),
    "doelen:react": Row(
        NOT_ALLOWED, TEAM_EDITORS, "react to a check-in", lambda s: {"pk": s.check_in.pk}
    ),
    "doelen:retract_reaction": Row(
        NOT_ALLOWED,
        (LOGIN, DENY, DENY, OK, DENY, DENY, DENY),
        "retract a reaction: its author only (here the team's manager)",
        lambda s: {"pk": s.extra["reaction"]},
    ),
    "doelen:my_updates": Row(
        LOGGED_IN,
        (LOGIN, DENY, DENY, DENY, DENY, DENY, DENY),
        "own goals waiting for an update; a POST names a goal (none here: 404)",
    ),
    "doelen:contribution_add": Row(
        NOT_ALLOWED, TEAM_EDITORS, "add who contributes to a goal", goal
    ),
    "doelen:contribution_end": Row(
        NOT_ALLOWED, TEAM_EDITORS, "end a contribution (kept in the history)", contribution
    ),
    # Team agreements (afspraken): read by all, changed by members and managers
    "afspraken:list": Row(LOGGED_IN, NOT_ALLOWED, "the team's agreements, with retired ones"),
    "afspraken:new": Row(TEAM_EDITORS, TEAM_EDITORS, "record a new agreement"),
    "afspraken:detail": Row(LOGGED_IN, NOT_ALLOWED, "one agreement with its history", agreement),
    "afspraken:edit": Row(TEAM_EDITORS, TEAM_EDITORS, "change: a new version", agreement),
    "afspraken:retire": Row(NOT_ALLOWED, TEAM_EDITORS, "retire (never delete)", agreement),
    # Development programme (ontwikkeling)
    "ontwikkeling:organisation": Row(HR_ONLY, NOT_ALLOWED, "HR and management only (aggregates)"),
    "ontwikkeling:team": Row(LOGGED_IN, NOT_ALLOWED, "team's development, read by all"),
    "ontwikkeling:scan": Row(
        TEAM_MEMBERS_ONLY, TEAM_MEMBERS_ONLY, "a member's own scan answers: nobody else"
    ),
    "ontwikkeling:open_round": Row(NOT_ALLOWED, TEAM_EDITORS, "open a scan round"),
    "ontwikkeling:close_round": Row(NOT_ALLOWED, TEAM_EDITORS, "close a scan round early"),
    "ontwikkeling:create_goal": Row(NOT_ALLOWED, TEAM_EDITORS, "development goal"),
    "ontwikkeling:responsibility": Row(
        LOGGED_IN,
        TEAM_EDITORS,
        "history read by all; members and managers record a change",
        lambda samples: {"responsibility": samples.extra["responsibility"]},
    ),
    # Dashboards
    # Personal development (issue #20): about the logged-in person only; the sample
    # intention is the member's (private). Others get 404, with no hint that it exists.
    "ontwikkeling:my_development": Row(LOGGED_IN, NOT_ALLOWED, "own development intentions"),
    "ontwikkeling:intention_create": Row(LOGGED_IN, LOGGED_IN, "new intention in a role held"),
    "ontwikkeling:intention_edit": Row(OWNER_ONLY, OWNER_ONLY, "change own intention", intention),
    "ontwikkeling:intention_note": Row(NOT_ALLOWED, OWNER_ONLY, "add a progress note", intention),
    "ontwikkeling:intention_share": Row(
        NOT_ALLOWED, OWNER_ONLY, "who may read it (audited)", intention
    ),
    "ontwikkeling:intention_status": Row(
        NOT_ALLOWED, OWNER_ONLY, "complete, archive or reopen", intention
    ),
    "ontwikkeling:shared_intentions": Row(
        LOGGED_IN, NOT_ALLOWED, "what others shared with you (empty for most)"
    ),
    "dashboard:index": Row(LOGGED_IN, NOT_ALLOWED, "cards for the teams the user may see"),
    "dashboard:team": Row(TEAM_READERS, NOT_ALLOWED, "team dashboard"),
    "dashboard:organisation": Row(HR_ONLY, NOT_ALLOWED, "HR and management only"),
    # Roles for HR (rollen)
    "rollen:matrix": Row(HR_ONLY, NOT_ALLOWED, "summary per team and role, paged"),
    "rollen:team": Row(HR_ONLY, NOT_ALLOWED, "one team's role holders by name"),
    "rollen:people": Row(HR_ONLY, NOT_ALLOWED, "people and their roles"),
    "rollen:compare": Row(HR_ONLY, NOT_ALLOWED, "compare two dates"),
    "rollen:audit": Row(HR_ONLY, NOT_ALLOWED, "role changes"),
    "rollen:export": Row(
        HR_ONLY,
        NOT_ALLOWED,
        "CSV/XLSX export",
        lambda samples: {"overview": "matrix", "file_format": "csv"},
    ),
    "rollen:export_file": Row(
        HR_ONLY,
        NOT_ALLOWED,
        "a large export made in the background (the requester's own)",
        export_file,
    ),
    "rollen:export_file_status": Row(
        HR_ONLY, NOT_ALLOWED, "whether that export is ready (htmx asks)", export_file
    ),
    "rollen:export_file_download": Row(
        HR_ONLY, NOT_ALLOWED, "download that export (the requester's own)", export_file
    ),
    "rollen:import": Row(HR_ONLY, HR_ONLY, "upload an import file"),
    "rollen:audit_export": Row(HR_ONLY, NOT_ALLOWED, "the audit tab as CSV"),
    "rollen:counts": Row(HR_ONLY, NOT_ALLOWED, "headcount and holders per team on a date"),
    "rollen:person_search": Row(HR_ONLY, NOT_ALLOWED, "find a person by name or number"),
    "rollen:person": Row(HR_ONLY, NOT_ALLOWED, "a person's teams and roles with dates", person),
    "rollen:person_export": Row(HR_ONLY, NOT_ALLOWED, "a person's history as CSV", person),
    "rollen:import_check": Row(
        HR_ONLY, HR_ONLY, "check an uploaded import (the uploader's own)", import_file
    ),
    "rollen:import_progress": Row(
        HR_ONLY, NOT_ALLOWED, "progress of a background check or apply", import_file
    ),
    "rollen:import_apply": Row(NOT_ALLOWED, HR_ONLY, "apply a checked import", import_file),
    # The employee's own things
    "teams:settings": Row(LOGGED_IN, LOGGED_IN, "own reminder settings"),
    "personal_data": Row(LOGGED_IN, NOT_ALLOWED, "own personal data (AVG)"),
    "personal_data_download": Row(LOGGED_IN, NOT_ALLOWED, "own personal data as JSON"),
    # Audit log
    "audit:event_list": Row(HR_ONLY, NOT_ALLOWED, "audit log: HR and administrators"),
    # Log-in and account (django.contrib.auth under /account/)
    "login": Row(PUBLIC, PUBLIC, "log-in; POST with errors re-shows the form"),
    "logout": Row(NOT_ALLOWED, LOGS_OUT, "log-out is a POST"),
    "password_change": Row(LOGGED_IN, LOGGED_IN, "change own password"),
    "password_change_done": Row(LOGGED_IN, NOT_ALLOWED, "confirmation"),
    "password_reset": Row(PUBLIC, PUBLIC, "request a reset link by e-mail"),
    "password_reset_done": Row(PUBLIC, PUBLIC_NOT_ALLOWED, "confirmation"),
    "password_reset_confirm": Row(PUBLIC, PUBLIC, "link from the e-mail (token checked)"),
    "password_reset_complete": Row(PUBLIC, PUBLIC_NOT_ALLOWED, "confirmation"),
    # Sign-in with the organisation's account (OpenID Connect): 404 unless OIDC_CLIENT_ID is
    # set; configured, tests/oidc/ check them (the callback refuses a missing or foreign state).
    "oidc_authenticate": Row(NOWHERE, NOWHERE, "to the identity provider (when configured)"),
    "oidc_authentication_callback": Row(NOWHERE, NOWHERE, "back from the provider"),
    "oidc_refused": Row(NOWHERE, NOWHERE, "why a sign-in was refused (when configured)"),
    "break_glass": Row(PUBLIC, PUBLIC, "one-time superuser link (manage.py break_glass_link)"),
    "switch_language": Row(PUBLIC_NOT_ALLOWED, PUBLIC, "language switch, also before log-in"),
    "keep_alive": Row(NOT_ALLOWED, LOGGED_IN, "'stay logged in' in the idle-timeout warning"),
    # Public pages
    "accessibility": Row(PUBLIC, PUBLIC_NOT_ALLOWED, "accessibility statement"),
    # For load balancers: the state of database, cache and broker, no personal data.
    "health": Row(PUBLIC, PUBLIC_NOT_ALLOWED, "health of database, cache, broker (JSON)"),
    # Reporting API (api/): service-account keys only, read-only; the scopes per address
    # are tested in tests/api/ (a POST is refused with 401 before the method is looked at).
    "api:teams": Row(API_KEY_ONLY, API_KEY_ONLY, "API: teams (teams:read)"),
    "api:memberships": Row(API_KEY_ONLY, API_KEY_ONLY, "API: memberships (teams:read)"),
    "api:role_assignments": Row(API_KEY_ONLY, API_KEY_ONLY, "API: role assignments (roles:read)"),
    "api:role_changes": Row(API_KEY_ONLY, API_KEY_ONLY, "API: role changes (roles:read)"),
    "api:objectives": Row(API_KEY_ONLY, API_KEY_ONLY, "API: objectives (goals:read)"),
    "api:goals": Row(API_KEY_ONLY, API_KEY_ONLY, "API: team goals (goals:read)"),
    "api:check_ins": Row(API_KEY_ONLY, API_KEY_ONLY, "API: check-ins (goals:read)"),
    "api:scan_results": Row(API_KEY_ONLY, API_KEY_ONLY, "API: published scan results (scan:read)"),
    "api:schema": Row(PUBLIC, PUBLIC_NOT_ALLOWED, "OpenAPI schema: field names only, no data"),
    "api:docs": Row(HR_ONLY, NOT_ALLOWED, "API reference page"),
    "api:connect": Row(HR_ONLY, NOT_ALLOWED, "how to connect a BI tool"),
    "api:not_found": Row(
        NOWHERE, NOWHERE, "any other /api/v1/ address: JSON 404", lambda samples: {"rest": "x/"}
    ),
}

_SYMBOLS = {OK: "✓", LOGIN: "→ log-in", DENY: "✗", NO: "405", TOKEN: "401 (API key)"}


def as_markdown() -> str:
    """docs/authorisation.md, generated from TABLE (a test checks that the two agree)."""
    from tests.security.patterns import project_patterns

    routes = {pattern.name: pattern.route for pattern in project_patterns()}
    head = "| page (URL name) | address | method | " + " | ".join(
        label for _key, label in PERSONA_LABELS
    )
    lines = [
        "# Who may open which page",
        "",
        "Generated from `tests/security/authorisation_table.py` by",
        "`.venv/bin/python -m tests.security.authorisation_table > docs/authorisation.md`;",
        "`tests/security/test_authorisation.py` requests every page as every persona and",
        "checks this table, and fails for a page that has no row.",
        "",
        "✓ allowed (page, redirect after success, or form errors) · → log-in: sent to the",
        "log-in page · ✗ refused (403, or 404 where the thing is not visible) · 405: method",
        "not accepted · 401 (API key): only a service-account key opens it.",
        "*Manager* means a manager of the team the page is about; the",
        "superuser is the functional administrator. Management (directie) sees what HR sees",
        "on the organisation-wide pages.",
        "",
        head + " | note |",
        "|" + "---|" * (len(PERSONA_LABELS) + 4),
    ]
    for name, row in TABLE.items():
        route = "/" + routes.get(name, "?")
        for method, outcomes in (("GET", row.get), ("POST", row.post)):
            cells = " | ".join(_SYMBOLS[o] for o in outcomes)
            note = row.note if method == "GET" else ""
            lines.append(f"| `{name}` | `{route}` | {method} | {cells} | {note} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zelfsturing.settings_test")
    django.setup()
    print(as_markdown(), end="")
