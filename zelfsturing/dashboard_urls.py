from django.urls import path

from zelfsturing import dashboard_views

app_name = "dashboard"

urlpatterns = [
    path("", dashboard_views.index, name="index"),
    path("organisatie/", dashboard_views.organisation, name="organisation"),
    path("teams/<slug:slug>/", dashboard_views.team, name="team"),
]
