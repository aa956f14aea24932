from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdminMixin, ServiceWritesMixin, run_for_each
from teams.models import Employee, Membership, Team
from teams.services import (
    EMPLOYEE_FIELDS,
    EMPLOYEE_M2M_FIELDS,
    employee_create,
    employee_deactivate,
    employee_update,
    membership_end,
    membership_start,
)

MEMBERSHIP_FIELDS = ("employee", "since", "until")


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The team's members, read-only. Starting and ending a membership goes through
    teams.services (audited; ending one ends the roles held in the team), which an inline
    row cannot: use the membership's own admin page, linked from each row."""

    model = Membership
    extra = 0
    fields = MEMBERSHIP_FIELDS
    readonly_fields = MEMBERSHIP_FIELDS
    can_delete = False
    show_change_link = True


class EmployeeChangeForm(UserChangeForm):
    memberships_end_on = forms.DateField(
        label=_("memberships end on"),
        required=False,
        help_text=_(
            "When you make this person inactive, their memberships and roles end on this "
            "date. Empty: today."
        ),
    )


@admin.register(Employee)
class EmployeeAdmin(ServiceWritesMixin, UserAdmin):
    """People are added, changed and deactivated through teams.services (audited per field,
    before and after). Deactivating ends the memberships, and with them the roles, on the
    date given. People are never deleted: their history stays meaningful."""

    form = EmployeeChangeForm
    list_display = ["username", "name", "email", "personnel_number", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups", "preferred_language"]
    search_fields = ["username", "name", "email", "personnel_number"]
    ordering = ["name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal details"),
            {"fields": ("name", "email", "personnel_number", "preferred_language")},
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "memberships_end_on",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "name", "email", "password1", "password2"),
            },
        ),
    )

    def service_save(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            password = data.get("password1") if data.get("set_usable_password", True) else None
            return employee_create(
                username=data["username"],
                name=data.get("name", ""),
                email=data.get("email", ""),
                password=password or None,
                actor=request.user,
            )
        names = set(EMPLOYEE_FIELDS) | set(EMPLOYEE_M2M_FIELDS)
        changes = {name: data[name] for name in form.changed_data if name in names}
        deactivate = changes.get("is_active") is False
        if deactivate:
            del changes["is_active"]  # employee_deactivate below, with the memberships
        if changes:
            obj = employee_update(employee=obj, changes=changes, actor=request.user)
        if deactivate:
            on = data.get("memberships_end_on") or timezone.localdate()
            obj = employee_deactivate(employee=obj, on=on, actor=request.user)
        return obj


@admin.action(
    description=_("Deactivate selected employees (memberships and roles end today)"),
    permissions=["change"],
)
def deactivate_employees(modeladmin, request, queryset):
    today = timezone.localdate()
    run_for_each(
        modeladmin,
        request,
        queryset.filter(is_active=True),
        lambda employee: employee_deactivate(employee=employee, on=today, actor=request.user),
        done_message=_("Deactivated: %(count)d."),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "update_rhythm", "is_active"]
    list_filter = ["is_active", "municipality", "update_rhythm"]
    search_fields = ["name", "slug", "purpose"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["managers"]
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False  # archive with the active flag instead


@admin.register(Membership)
class MembershipAdmin(ServiceWritesMixin, admin.ModelAdmin):
    """A membership starts (teams.services.membership_start) and ends
    (membership_end, which ends the roles held in the team on the same date); both audited.
    Its person, team and start date are fixed once it exists, and an ended membership is
    history: read-only. Deleting is not offered: end a membership instead."""

    list_display = ["employee", "team", "since", "until"]
    list_filter = ["team", ("until", admin.EmptyFieldListFilter)]
    search_fields = ["employee__name", "employee__username", "team__name"]
    autocomplete_fields = ["employee", "team"]
    date_hierarchy = "since"
    list_select_related = ["employee", "team"]
    actions = ["end_today"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["employee", "team", "since"]
        return ["employee", "team", "since", "until"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.until is not None:
            return ["employee", "team", "since", "until"]
        return ["employee", "team", "since"]

    def service_save(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            return membership_start(
                employee=data["employee"],
                team=data["team"],
                since=data["since"],
                actor=request.user,
            )
        if "until" in form.changed_data and data.get("until"):
            return membership_end(membership=obj, until=data["until"], actor=request.user)
        return obj

    @admin.action(
        description=_("End selected memberships today (with the roles in them)"),
        permissions=["change"],
    )
    def end_today(self, request, queryset):
        today = timezone.localdate()
        run_for_each(
            self,
            request,
            queryset.filter(until__isnull=True),
            lambda m: membership_end(membership=m, until=max(today, m.since), actor=request.user),
            done_message=_("Ended: %(count)d."),
        )


@admin.action(description=_("Anonymise selected departed employees"), permissions=["change"])
def anonymise_employees(modeladmin, request, queryset):
    """Admin action around teams.services.employee_anonymise; active employees are refused."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    from teams.services import employee_anonymise

    done = skipped = 0
    for employee in queryset:
        try:
            changed = employee_anonymise(employee=employee, actor=request.user)
        except ValidationError as error:
            modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
            continue
        if changed:
            done += 1
        else:
            skipped += 1
    if done:
        modeladmin.message_user(
            request, _("Anonymised: %(count)d.") % {"count": done}, messages.SUCCESS
        )
    if skipped:
        modeladmin.message_user(
            request, _("Already anonymised: %(count)d.") % {"count": skipped}, messages.INFO
        )


# The ignores: the stubs declare ModelAdmin.actions per instance; it is a class attribute.
EmployeeAdmin.actions = [  # type: ignore[misc]
    *(EmployeeAdmin.actions or []),  # type: ignore[misc]
    deactivate_employees,
    anonymise_employees,
]
