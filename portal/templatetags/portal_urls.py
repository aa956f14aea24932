"""`{% fixed_url 'name' %}`: `{% url 'name' %}` for a URL without arguments, reversed once.

The layout (templates/base.html) links to about twenty such pages on every request;
reversing each again costs more than the rest of the navigation. The result is kept on the
URL resolver it came from, so a changed URL configuration (a test's ROOT_URLCONF,
`clear_url_caches`) starts afresh, and per script prefix and current application, which
are the other inputs of `reverse` here.
"""

from django import template
from django.template import TemplateSyntaxError
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

_CACHE_ATTRIBUTE = "_portal_fixed_urls"


def fixed_reverse(view_name: str, current_app: str | None = None) -> str:
    """`reverse(view_name, current_app=current_app)`, remembered per resolver."""
    resolver = get_resolver(get_urlconf())
    cache = resolver.__dict__.get(_CACHE_ATTRIBUTE)
    if cache is None:
        cache = resolver.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    key = (view_name, get_script_prefix(), current_app)
    url = cache.get(key)
    if url is None:
        url = cache[key] = reverse(view_name, current_app=current_app)
    return url


class FixedURLNode(template.Node):
    def __init__(self, view_name: str):
        self.view_name = view_name

    def render(self, context):
        # As {% url %} does: the current application of the request, else its namespace.
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = fixed_reverse(self.view_name, current_app)
        return conditional_escape(url) if context.autoescape else url


@register.tag
def fixed_url(parser, token):
    """{% fixed_url 'view_name' %}: one quoted URL name, no arguments, no `as`."""
    bits = token.split_contents()
    if len(bits) != 2 or len(bits[1]) < 2 or bits[1][0] not in "'\"" or bits[1][-1] != bits[1][0]:
        raise TemplateSyntaxError(f"{bits[0]} takes one quoted URL name")
    return FixedURLNode(bits[1][1:-1])
