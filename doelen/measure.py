"""How a goal's progress is measured: the kinds of measure and the one rule that puts a
goal's measure in order (`normalise_measure`), used by Goal.clean(), the goal form,
carry-over and the pages. MeasureType is still importable from doelen.models."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureType(models.TextChoices):
    NUMBER = "number", _("a number")
    PERCENTAGE = "percentage", _("a percentage")
    MILESTONE = "milestone", _("a milestone (done or not done)")


# A milestone runs from "not reached" (0) to "reached" (1); a percentage from 0 to 100.
MILESTONE_START, MILESTONE_TARGET = Decimal(0), Decimal(1)
PERCENTAGE_MIN, PERCENTAGE_MAX = Decimal(0), Decimal(100)


@dataclass(frozen=True)
class Measure:
    """How a goal's progress is measured, put in order by `normalise_measure`."""

    measure_type: str
    unit: str
    start_value: Decimal | None
    target_value: Decimal | None


def normalise_measure(
    measure_type: str,
    *,
    unit: str = "",
    start_value: Decimal | None = None,
    target_value: Decimal | None = None,
) -> Measure:
    """The one rule for a goal's measure, used by the model's clean(), the goal form and
    carry-over: a milestone runs from 0 (not reached) to 1 (reached) and has no unit; a
    percentage has the unit "%" and runs from 0 to 100 unless other values are given; a
    number keeps its values and its unit (without surrounding spaces). Values are not
    checked here (Goal.clean() and the constraints do that)."""
    if measure_type == MeasureType.MILESTONE:
        return Measure(measure_type, "", MILESTONE_START, MILESTONE_TARGET)
    if measure_type == MeasureType.PERCENTAGE:
        return Measure(
            measure_type,
            "%",
            PERCENTAGE_MIN if start_value is None else start_value,
            PERCENTAGE_MAX if target_value is None else target_value,
        )
    return Measure(measure_type, (unit or "").strip(), start_value, target_value)
