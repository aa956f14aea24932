"""Groups the portal's permissions rely on. Used by the data migration and by
`ensure_groups`, which restores them after a database flush (demo, tests)."""

from teams.models import HR_GROUP, MANAGEMENT_GROUP

GROUPS = [HR_GROUP, MANAGEMENT_GROUP]


def ensure_groups(group_model) -> None:
    for name in GROUPS:
        group_model.objects.get_or_create(name=name)
