from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdminMixin, ServiceWritesMixin
from doelen.models import CheckIn, Goal, OrganisationObjective
from doelen.services import (
    EDITABLE_FIELDS,
    M2M_FIELDS,
    GoalData,
    goal_create,
    goal_set_status,
    goal_update,
)


@admin.register(OrganisationObjective)
class OrganisationObjectiveAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_nl", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_nl"]}

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return False
        return not obj.goals.exists()


CHECK_IN_FIELDS = ("created_at", "author", "value", "confidence", "comment")


class CheckInInline(admin.TabularInline):
    model = CheckIn
    extra = 0
    fields = CHECK_IN_FIELDS
    readonly_fields = CHECK_IN_FIELDS
    can_delete = False
    ordering = ["-created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Goal)
class GoalAdmin(ServiceWritesMixin, admin.ModelAdmin):
    """Goals are added, changed and given a status through doelen.services, as on the team
    page: the owner must be a current member of the team, an archived team's goals do not
    change, a measure with progress updates stays, and every change is audited with before
    and after. The team and where a goal was carried over from are fixed once it exists.
    Goals are archived, never deleted."""

    list_display = ["title", "team", "status", "measure_type", "start_date", "due_date", "owner"]
    list_filter = ["status", "measure_type", "team__municipality", "objectives", "team"]
    search_fields = ["title", "description", "team__name"]
    autocomplete_fields = ["team", "owner"]
    filter_horizontal = ["objectives", "driving_roles"]
    date_hierarchy = "due_date"
    list_select_related = ["team", "owner"]
    inlines = [CheckInInline]
    service_field_names = {"reason": "status_reason"}
    always_read_only = ["version", "created_by", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:  # a new goal is active and carried over from nothing
            return ["status", "status_reason", "carried_over_from", *self.always_read_only]
        return ["team", "carried_over_from", *self.always_read_only]

    def service_save(self, request, obj, form, change):
        data = form.cleaned_data
        goal_data = GoalData(
            **{name: data[name] for name in EDITABLE_FIELDS},
            objectives=list(data["objectives"]),
            driving_roles=list(data["driving_roles"]),
        )
        if not change:
            return goal_create(team=data["team"], actor=request.user, data=goal_data)
        goal = Goal.objects.get(pk=obj.pk)
        if set(form.changed_data) & {*EDITABLE_FIELDS, *M2M_FIELDS}:
            goal = goal_update(goal=goal, actor=request.user, version=goal.version, data=goal_data)
        if "status" in form.changed_data:
            goal = goal_set_status(
                goal=goal, actor=request.user, status=data["status"], reason=data["status_reason"]
            )
        elif "status_reason" in form.changed_data:
            raise ValidationError(
                {"status_reason": _("The reason changes together with the status.")}
            )
        return goal


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Check-ins are append-only: the admin shows them and never changes them."""

    list_display = ["goal", "value", "confidence", "author", "created_at"]
    list_filter = ["confidence", "goal__team"]
    search_fields = ["goal__title", "comment", "author__name"]
    date_hierarchy = "created_at"
    list_select_related = ["goal", "author"]
