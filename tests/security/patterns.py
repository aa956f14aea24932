"""Every URL pattern of the project, and how to turn one into a concrete address.

Shared by the authorisation matrix, the header tests and the fuzz tests, so that all three
cover the same pages: a new page is picked up by all of them at once.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Patterns outside the portal's own pages: Django's admin has its own permission system.
SKIPPED_PREFIXES = ("admin/", "static/", "media/", "__debug__/")


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name", or "" when the pattern has no name
    route: str  # the route text, for messages
    kwargs: tuple[str, ...]  # names of the URL parameters


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            name = ""
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Pattern(name=name, route=route, kwargs=tuple(entry.pattern.regex.groupindex))


def project_patterns() -> list[Pattern]:
    """Every URL pattern of the project, except the admin and static files."""
    return list(_walk(get_resolver().url_patterns))


def default_kwargs(samples) -> dict:
    """Values for URL parameters that mean the same everywhere; a table row can override."""
    return {
        "slug": samples.team.slug,
        "team_slug": samples.team.slug,
        "uidb64": "MQ",
        "token": "set-password",
    }


def build_url(pattern: Pattern, samples, overrides: dict | None = None) -> str:
    values = {**default_kwargs(samples), **(overrides or {})}
    missing = [name for name in pattern.kwargs if name not in values]
    if missing:
        raise AssertionError(
            f"URL {pattern.name!r} ({pattern.route}) has parameters {missing} without a sample "
            f"value: give its row in tests/security/authorisation_table.py a kwargs= function."
        )
    return reverse(pattern.name, kwargs={name: values[name] for name in pattern.kwargs})
