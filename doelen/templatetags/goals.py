from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def goal_number(value) -> str:
    """A goal value without trailing zeros, in the current language: 6.50 → "6,5"."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return number_format(format(number.normalize(), "f"))
