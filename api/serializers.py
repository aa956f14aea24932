"""What the API returns, field by field, with a description in Dutch and English (the
schema is served in the request's language). Dates and times are ISO 8601 with the time
zone offset."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from doelen.models import Confidence, GoalStatus
from teams.models import Municipality


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("Number of the team; does not change."))
    slug = serializers.CharField(help_text=_("Short name of the team in web addresses."))
    name = serializers.CharField(help_text=_("Name of the team."))
    municipality = serializers.ChoiceField(
        choices=Municipality.choices, help_text=_("The municipality the team works for.")
    )
    update_rhythm_days = serializers.IntegerField(
        source="update_rhythm", help_text=_("How often the team updates its goals, in days.")
    )
    is_active = serializers.BooleanField(help_text=_("False for a team that was archived."))


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("Number of the person in the portal."))
    name = serializers.CharField(help_text=_("Name of the person."))
    personnel_number = serializers.CharField(help_text=_("Personnel number from HR."))


class MembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("Number of the membership."))
    person = PersonSerializer(source="employee", help_text=_("The member."))
    team = serializers.CharField(source="team.slug", help_text=_("Short name of the team."))
    since = serializers.DateField(help_text=_("First day in the team."))
    until = serializers.DateField(
        allow_null=True, help_text=_("Last day in the team; empty while it lasts.")
    )


class RoleAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("Number of the role assignment."))
    person = PersonSerializer(source="employee", help_text=_("The role holder."))
    team = serializers.CharField(source="team.slug", help_text=_("Short name of the team."))
    role = serializers.CharField(source="role.slug", help_text=_("Code of the role."))
    since = serializers.DateField(help_text=_("First day with the role."))
    until = serializers.DateField(
        allow_null=True, help_text=_("Last day with the role; empty while it lasts.")
    )


class ObjectiveSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("Number of the objective."))
    slug = serializers.CharField(help_text=_("Code of the objective."))
    name_nl = serializers.CharField(help_text=_("Name in Dutch."))
    name_en = serializers.CharField(help_text=_("Name in English."))
    is_active = serializers.BooleanField(help_text=_("False for an objective no longer used."))


class GoalSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("Number of the goal."))
    team = serializers.CharField(source="team.slug", help_text=_("Short name of the team."))
    title = serializers.CharField(help_text=_("Title of the goal."))
    objectives = serializers.SerializerMethodField(
        help_text=_("Codes of the organisation objectives the goal serves.")
    )
    measure_type = serializers.CharField(help_text=_("How progress is measured."))
    unit = serializers.CharField(help_text=_("Unit of the values, for example days."))
    start_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=_("Value at the start.")
    )
    target_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=_("Value to reach.")
    )
    start_date = serializers.DateField(help_text=_("Start date."))
    due_date = serializers.DateField(help_text=_("Date by which the target should be reached."))
    status = serializers.ChoiceField(choices=GoalStatus.choices, help_text=_("Status."))
    latest_value = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text=_("Value of the latest check-in; empty without check-ins."),
    )
    latest_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the latest check-in was recorded.")
    )
    progress = serializers.SerializerMethodField(
        help_text=_("Progress from start to target on the latest value, in percent (0–100).")
    )
    expected_progress = serializers.SerializerMethodField(
        help_text=_("Progress expected on the reference date on a straight line, in percent.")
    )
    updated_at = serializers.DateTimeField(help_text=_("When the goal last changed."))

    def get_objectives(self, goal) -> list[str]:
        return [objective.slug for objective in goal.objectives.all()]

    def get_progress(self, goal) -> int:
        return round(goal.progress * 100)

    def get_expected_progress(self, goal) -> int:
        return round(goal.expected * 100)


class CheckInSerializer(serializers.Serializer):
    """`comment` is only present for a key with the goals:read-comments scope."""

    id = serializers.IntegerField(help_text=_("Number of the check-in."))
    goal = serializers.IntegerField(source="goal_id", help_text=_("Number of the goal."))
    team = serializers.CharField(source="goal.team.slug", help_text=_("Short name of the team."))
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=_("Value recorded.")
    )
    confidence = serializers.ChoiceField(
        choices=Confidence.choices, help_text=_("How confident the team is.")
    )
    created_at = serializers.DateTimeField(help_text=_("When the check-in was recorded."))
    comment = serializers.CharField(
        required=False,
        help_text=_("Comment of the check-in; only with the goals:read-comments scope."),
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("with_comments"):
            data.pop("comment", None)
        return data


class ThemeResultSerializer(serializers.Serializer):
    theme = serializers.CharField(help_text=_("Code of the development theme."))
    name_nl = serializers.CharField(help_text=_("Name in Dutch."))
    name_en = serializers.CharField(help_text=_("Name in English."))
    mean = serializers.FloatField(
        allow_null=True, help_text=_("Average score of the team on the theme, as published.")
    )


class ScanRoundResultSerializer(serializers.Serializer):
    round = serializers.IntegerField(help_text=_("Number of the scan round."))
    opens_on = serializers.DateField(help_text=_("First day of the round."))
    closes_on = serializers.DateField(help_text=_("Last day of the round."))
    themes = ThemeResultSerializer(many=True, help_text=_("Published result per theme."))


class ScanResultSerializer(serializers.Serializer):
    team = serializers.CharField(help_text=_("Short name of the team."))
    rounds = ScanRoundResultSerializer(
        many=True,
        help_text=_("Rounds whose results the portal publishes, oldest first. Never answers."),
    )


# Query parameters (validated; documented in the schema).


class TeamFilter(serializers.Serializer):
    team = serializers.SlugField(required=False, help_text=_("Only this team (short name)."))
    municipality = serializers.ChoiceField(
        choices=Municipality.choices,
        required=False,
        help_text=_("Only teams of this municipality."),
    )


class TeamListFilter(TeamFilter):
    active = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Only active (true) or archived (false) teams."),
    )


class OnDateFilter(TeamFilter):
    on = serializers.DateField(
        required=False, help_text=_("Reference date (YYYY-MM-DD); today when left out.")
    )


class RoleFilter(OnDateFilter):
    role = serializers.SlugField(required=False, help_text=_("Only this role (code)."))


class RoleChangeFilter(TeamFilter):
    date_from = serializers.DateField(help_text=_("First date of the comparison (YYYY-MM-DD)."))
    date_to = serializers.DateField(help_text=_("Second date of the comparison (YYYY-MM-DD)."))
    change = serializers.ChoiceField(
        choices=[("gained", _("gained a role")), ("lost", _("lost a role"))],
        help_text=_("gained: held on date_to, not on date_from; lost: the other way round."),
    )
    role = serializers.SlugField(required=False, help_text=_("Only this role (code)."))


class GoalFilter(OnDateFilter):
    objective = serializers.SlugField(
        required=False, help_text=_("Only goals that serve this objective (code).")
    )
    status = serializers.ChoiceField(
        choices=GoalStatus.choices, required=False, help_text=_("Only goals with this status.")
    )
    changed_since = serializers.DateTimeField(
        required=False, help_text=_("Only goals changed at or after this time (ISO 8601).")
    )


class CheckInFilter(TeamFilter):
    goal = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text=_("Only this goal (number).")
    )
    date_from = serializers.DateField(
        required=False, help_text=_("Only check-ins recorded on or after this date.")
    )
    date_to = serializers.DateField(
        required=False, help_text=_("Only check-ins recorded on or before this date.")
    )
