"""Stable cursor pagination: ordered by id, so a page never shifts when rows are added.
A cursor that cannot be read points to no page: 404 (DRF's answer, in the error shape)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "pk"
    page_size_query_param = "page_size"
    cursor_query_description = _("The cursor of the page: take it from `next` or `previous`.")
    page_size_query_description = _("Number of results per page.")

    def __init__(self):
        self.page_size = settings.ZS_API_PAGE_SIZE
        self.max_page_size = settings.ZS_API_MAX_PAGE_SIZE
