from collections.abc import Callable
from typing import cast

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBase
from django.middleware.http import ConditionalGetMiddleware
from django.urls import path
from django.utils.decorators import decorator_from_middleware
from drf_spectacular.views import SpectacularAPIView

from api import pages, views

app_name = "api"

# ETag on every answer and 304 for a matching If-None-Match: a nightly pull asks for changes.
conditional = decorator_from_middleware(ConditionalGetMiddleware)


def endpoint(view_class) -> Callable[..., HttpResponseBase]:
    view = cast(Callable[..., HttpResponseBase], conditional(view_class.as_view()))
    return login_not_required(view)


urlpatterns = [
    path("teams/", endpoint(views.TeamList), name="teams"),
    path("memberships/", endpoint(views.MembershipList), name="memberships"),
    path("role-assignments/", endpoint(views.RoleAssignmentList), name="role_assignments"),
    path("role-changes/", endpoint(views.RoleChangeList), name="role_changes"),
    path("objectives/", endpoint(views.ObjectiveList), name="objectives"),
    path("goals/", endpoint(views.GoalList), name="goals"),
    path("check-ins/", endpoint(views.CheckInList), name="check_ins"),
    path("scan-results/", endpoint(views.ScanResultList), name="scan_results"),
    path(
        "schema/",
        login_not_required(
            SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[])
        ),
        name="schema",
    ),
    path("docs/", pages.docs, name="docs"),
    path("connect/", pages.connect, name="connect"),
    path("<path:rest>", login_not_required(views.NotFound.as_view()), name="not_found"),
]
