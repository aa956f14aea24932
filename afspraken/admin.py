"""Agreements in the admin: read-only. Their history must stay, so they are written only
through afspraken.services (the team's pages); nothing can be deleted here."""

from django.contrib import admin

from afspraken.models import Agreement, AgreementVersion
from common.admin import ReadOnlyAdminMixin


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "team", "retired_on"]
    list_filter = ["team"]
    list_select_related = ["team", "current"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "agreement",
        "number",
        "owner",
        "review_on",
        "changed_by",
        "changed_at",
    ]
    list_select_related = ["agreement__current", "owner", "changed_by"]
    search_fields = ["title"]
