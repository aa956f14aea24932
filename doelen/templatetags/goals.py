from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

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


@register.filter
def goal_value(value, goal) -> str:
    """A value of `goal` as a person reads it: "reached" or "not yet reached" for a
    milestone, "85%" for a percentage, "12 residents" for a number with a unit."""
    if value is None or value == "":
        return ""
    if goal.is_milestone:
        return gettext("reached") if Decimal(value) >= 1 else gettext("not yet reached")
    number, unit = goal_number(value), goal.value_unit
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}" if unit else number
