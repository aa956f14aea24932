"""When a goal, or a team on average, is behind: one rule for the goal pages (doelen) and
the dashboards."""

# Behind means this many percentage points or more below the expected progress.
BEHIND_MARGIN_POINTS = 10


def is_behind(progress: float, expected: float) -> bool:
    """Whether `progress` lies clearly behind `expected` (both fractions 0–1, expected being
    the straight line from start to target): BEHIND_MARGIN_POINTS percentage points or
    more below it, compared in whole percentages as the pages show them. So 40% where 50%
    was expected is behind and 41% is not; 40.4% where 49.6% was expected is shown as 40%
    and 50%, and is behind: what people see decides, not the decimals they do not see."""
    return round(expected * 100) - round(progress * 100) >= BEHIND_MARGIN_POINTS
