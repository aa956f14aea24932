from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from portal import health, privacy_views, signin_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("teams/<slug:slug>/", views.team_detail, name="team_detail"),
    path("", include("doelen.urls", namespace="doelen")),  # /doelen/…, /teams/<slug>/doelen/…
    path("", include("afspraken.urls", namespace="afspraken")),  # /werkafspraken/…
    path("ontwikkeling/", include("ontwikkeling.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("rollen/", include("rollen.urls")),
    path("mijn-gegevens/", privacy_views.my_data, name="personal_data"),
    path("mijn-gegevens/download/", privacy_views.my_data_download, name="personal_data_download"),
    path("audit/", include("audit.urls")),
    path("instellingen/", include("teams.urls")),
    path("account/", include("portal.account_urls")),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility"),
    path("account/blijf-ingelogd/", views.keep_alive, name="keep_alive"),
    path("taal/", login_not_required(views.switch_language), name="switch_language"),
    path("health/", health.health, name="health"),
    path("api/v1/", include("api.urls")),
    path("admin/login/", signin_views.admin_login),
    path("admin/", admin.site.urls),
]

# 403 and 404: Django's handlers with templates/403.html and 404.html; 500 without the database.
handler500 = "portal.views.server_error"
