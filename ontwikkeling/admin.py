"""Admin for the functional administrator: themes, statements and responsibilities are
data to maintain. No page shows a score (docs/decisions/0013-scan-privacy.md): answer sets
and answers are not registered at all, and their str() never holds a score, so even a delete
confirmation that lists related objects cannot show one. Rounds are read-only here, with one
action, closing, through the service; nothing about the scan can be deleted here.
ScanResponse (who took part, never what) is for superusers only, read-only.

Personal development intentions and their notes (ontwikkeling.personal) are not registered
either, for the same reason: they are the employee's own, and no admin page may list them
(docs/decisions/0022-persoonlijke-ontwikkeling.md)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import ReadOnlyAdminMixin
from ontwikkeling import services
from ontwikkeling.models import (
    DevelopmentGoal,
    Responsibility,
    ScanResponse,
    ScanRound,
    Statement,
    TeamResponsibility,
    Theme,
)


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 1
    fields = ["order", "text_nl", "text_en", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False  # retire a statement with "active": answers point to it


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "slug", "order"]
    readonly_fields = ["slug"]
    inlines = [StatementInline]

    def has_add_permission(self, request):
        return False  # the programme has exactly four themes, created by a migration

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["text_nl", "text_en", "theme", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["theme", "is_active"]
    search_fields = ["text_nl", "text_en"]

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return False
        return not obj.answers.exists()


@admin.register(ScanRound)
class ScanRoundAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Rounds with the number of participants, never who answered what. Read-only: rounds
    are opened on the team's development page (sends invitations) and closed here or there
    through services.close_scan_round (which removes the respondent keys). Not deleted: that
    would delete answers; close a round opened by mistake instead."""

    list_display = ["team", "opens_on", "closes_on", "closed_at", "participant_count"]
    list_filter = ["team"]
    search_fields = ["team__name"]
    date_hierarchy = "opens_on"
    fields = ("team", "opens_on", "closes_on", "closed_at", "created_by", "created_at")
    readonly_fields = fields
    list_select_related = ["team"]
    actions = ["close_rounds"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(number_of_participants=Count("responses"))

    @admin.display(description=_("participants"), ordering="number_of_participants")
    def participant_count(self, obj):
        return obj.number_of_participants

    @admin.action(description=_("Close the selected scan rounds"), permissions=["close"])
    def close_rounds(self, request, queryset):
        closed = 0
        for scan_round in queryset.filter(closed_at__isnull=True):
            try:
                services.close_scan_round(scan_round=scan_round, closed_by=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{scan_round}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                closed += 1
        self.message_user(
            request,
            ngettext("%(count)d scan round closed.", "%(count)d scan rounds closed.", closed)
            % {"count": closed},
        )

    def has_close_permission(self, request):
        return request.user.has_perm("ontwikkeling.change_scanround")


@admin.register(ScanResponse)
class ScanResponseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who took part in which round: superusers only, read-only, and without answers
    (they are not linked to the person)."""

    list_display = ["round", "respondent"]
    fields = ("round", "respondent")
    readonly_fields = fields
    list_select_related = ["round__team", "respondent"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name_nl", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_nl"]}

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return False
        return not obj.team_states.exists()


@admin.register(TeamResponsibility)
class TeamResponsibilityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """History is append-only: changes are made on the team's development page."""

    list_display = ["team", "responsibility", "state", "since", "changed_by", "created_at"]
    list_filter = ["state", "responsibility", "team"]
    search_fields = ["team__name", "note"]
    list_select_related = ["team", "responsibility", "changed_by"]


@admin.register(DevelopmentGoal)
class DevelopmentGoalAdmin(admin.ModelAdmin):
    list_display = ["goal", "theme", "created_at"]
    list_filter = ["theme"]
    list_select_related = ["goal", "theme"]
    readonly_fields = ["goal", "theme", "scan_round", "created_at"]

    def has_add_permission(self, request):
        return False
