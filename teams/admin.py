from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from teams.models import Employee, Membership, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["employee"]
    fields = ["employee", "since", "until"]


@admin.register(Employee)
class EmployeeAdmin(UserAdmin):
    list_display = ["username", "name", "email", "personnel_number", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups", "preferred_language"]
    search_fields = ["username", "name", "email", "personnel_number"]
    ordering = ["name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal details"),
            {"fields": ("name", "email", "personnel_number", "preferred_language")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
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

    def has_delete_permission(self, request, obj=None):
        # People leave through the active flag: their history stays meaningful.
        return False


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
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["employee", "team", "since", "until"]
    list_filter = ["team", ("until", admin.EmptyFieldListFilter)]
    search_fields = ["employee__name", "employee__username", "team__name"]
    autocomplete_fields = ["employee", "team"]
    date_hierarchy = "since"
    list_select_related = ["employee", "team"]

    def has_delete_permission(self, request, obj=None):
        return False  # end a membership with an end date instead


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


EmployeeAdmin.actions = [*(EmployeeAdmin.actions or []), anonymise_employees]
