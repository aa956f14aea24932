from django.urls import path

from ontwikkeling import views

app_name = "ontwikkeling"

urlpatterns = [
    path("organisatie/", views.organisation, name="organisation"),
    path("teams/<slug:slug>/", views.team_development, name="team"),
    path("teams/<slug:slug>/scan/", views.scan, name="scan"),
    path("teams/<slug:slug>/ronde/", views.open_round, name="open_round"),
    path("teams/<slug:slug>/ronde/sluiten/", views.close_round, name="close_round"),
    path("teams/<slug:slug>/ontwikkeldoel/", views.create_goal, name="create_goal"),
    path(
        "teams/<slug:slug>/regelruimte/<slug:responsibility>/",
        views.responsibility,
        name="responsibility",
    ),
]
