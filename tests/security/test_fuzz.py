"""Property-based robustness: generated input for every form and query parameter of every
page. Never a server error, never partial data, HTML and script always shown escaped."""

import datetime
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.security.authorisation_table import OK, PERSONA_LABELS, TABLE
from tests.security.forms import Field, Form, find_forms
from tests.security.patterns import build_url, project_patterns

PERSONAS = [key for key, _label in PERSONA_LABELS]
FORM_EXAMPLES = 25
QUERY_EXAMPLES = 12
FUZZ = hypothesis_settings(
    max_examples=FORM_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
DOMAIN_APPS = ("teams", "rollen", "doelen", "ontwikkeling", "audit")
# Forms on every page that have their own tests here.
SHARED_FORMS = {"logout", "switch_language"}
COMMON_PARAMETERS = ["page", "q", "sort", "on", "from", "to", "next", "team", "status", "format"]

# Payloads that must never come back unescaped.
PAYLOADS = [
    "<script>alert('zs')</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><svg onload=alert(1)>",
]

nasty_text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
    st.builds(lambda s, n: s * n, st.sampled_from(["x", "é", "𝔘", "<b>"]), st.integers(200, 6000)),
    st.sampled_from(["", " ", "0", "-1", "NaN", "Infinity", "1e309", "null", "\u202e", "%00"]),
)
nasty_number = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1,5", "1.5.5", "١٢", "", "-0", "99999999999999999.99"]),
    nasty_text,
)
nasty_date = st.one_of(
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
    st.sampled_from(["2026-02-30", "0000-00-00", "31-12-2026", "9999-12-31", "yesterday", ""]),
    nasty_text,
)


def value_strategy(field: Field):
    if field.kind in ("number", "range"):
        generated = nasty_number
    elif field.kind in ("date", "datetime-local", "month", "week", "time"):
        generated = nasty_date
    elif field.kind in ("select", "radio", "checkbox") and field.options:
        generated = st.one_of(st.sampled_from(field.options), nasty_text)
    else:
        generated = nasty_text
    keep = st.just(field.value) if field.value else generated
    return st.one_of(keep, generated, st.none())  # None: leave the field out


def domain_counts() -> dict[str, int]:
    counts = {}
    for label in DOMAIN_APPS:
        if not apps.is_installed(label):
            continue
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model._default_manager.count()
    return counts


def assert_escaped(html: str, values) -> None:
    for value in values:
        if isinstance(value, str):
            for payload in PAYLOADS:
                if payload in value:
                    assert payload not in html, f"unescaped input in the page: {payload!r}"


def check_response(client, response, values, before, *, method="post"):
    assert response.status_code < 500
    if response.status_code in (301, 302, 303):
        follow = client.get(response["Location"])
        assert follow.status_code < 500
        assert_escaped(follow.content.decode(errors="replace"), values)
        return
    # Not accepted: nothing was stored, not even part of it. (A GET may record that it was
    # made, as exports and the personal-data download do, in the audit log.)
    after = domain_counts()
    if method == "get":
        after.pop("audit.AuditEvent", None)
        before = {k: v for k, v in before.items() if k != "audit.AuditEvent"}
    assert after == before, "invalid input changed data"
    if response["Content-Type"].startswith("text/html"):
        assert_escaped(response.content.decode(errors="replace"), values)


def form_url_name(page_url: str, form: Form) -> str:
    path = urlsplit(urljoin(page_url, form.action or page_url)).path
    match = resolve(path)
    return match.view_name


def fuzz_form(client, page_url: str, form: Form, *, examples: int = FORM_EXAMPLES) -> None:
    target = urljoin(page_url, form.action or page_url)
    strategies = {name: value_strategy(field) for name, field in form.fields.items()}

    @hypothesis_settings(FUZZ, max_examples=examples)
    @given(values=st.fixed_dictionaries(strategies))
    def run(values):
        data = {name: value for name, value in values.items() if value is not None}
        for name, field in form.fields.items():
            if field.kind == "file" and name in data:
                data[name] = SimpleUploadedFile(
                    "upload.csv", str(data[name]).encode("utf-8", "replace"), "text/csv"
                )
        before = domain_counts()
        send = client.post if form.method == "post" else client.get
        response = send(target, data)
        check_response(client, response, data.values(), before, method=form.method)

    run()


def persona_for(row, *, post: bool) -> str | None:
    for persona, get, post_outcome in zip(PERSONAS, row.get, row.post, strict=True):
        if get == OK and (post_outcome == OK or not post):
            return persona
    return None


def page_cases():
    for pattern in project_patterns():
        row = TABLE.get(pattern.name)
        if row is None or pattern.name in {"logout"}:
            continue
        persona = persona_for(row, post=True) or persona_for(row, post=False)
        if persona is not None:
            yield pytest.param(pattern, persona, id=pattern.name)


@pytest.mark.django_db
@pytest.mark.parametrize(("pattern", "persona"), list(page_cases()))
def test_forms_and_query_parameters_of_every_page(pattern, persona, samples, persona_client):
    client = persona_client(persona)
    url = build_url(pattern, samples, TABLE[pattern.name].kwargs(samples))
    page = client.get(url)
    assert page.status_code in (200, 302), url  # 302: e.g. "upload a file first"
    forms = []
    if page.status_code == 200 and page["Content-Type"].startswith("text/html"):
        for form in find_forms(page.content.decode()):
            if form_url_name(url, form) in SHARED_FORMS:
                continue
            forms.append(form)
    for form in forms:
        fuzz_form(client, url, form)
    # Query parameters: those of the page's GET forms and the usual suspects.
    names = set(COMMON_PARAMETERS)
    for form in forms:
        if form.method == "get":
            names |= set(form.fields)
    query = Form("get", url, {name: Field(name, "text") for name in names})
    fuzz_form(client, url, query, examples=QUERY_EXAMPLES)


@pytest.mark.django_db
def test_login_form(client, member):
    form = find_forms(client.get(reverse("login")).content.decode())
    [login] = [f for f in form if f.action == reverse("login")]
    fuzz_form(client, reverse("login"), login)
    # Nothing generated logged anyone in.
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_language_switch(persona, persona_client, member):
    client = persona_client(persona)
    home = reverse("home") if persona == "member" else reverse("login")
    [form] = [
        f
        for f in find_forms(client.get(home).content.decode())
        if f.action == reverse("switch_language")
    ]
    fuzz_form(client, home, form)
    if persona == "member":
        member.refresh_from_db()
        assert member.preferred_language in dict(settings.LANGUAGES)
