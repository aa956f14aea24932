from django.urls import path

from ontwikkeling import views
from ontwikkeling.personal import views as personal

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
    # Personal development in one's roles (issue #20): always about the logged-in person.
    path("mijn/", personal.my_development, name="my_development"),
    path("mijn/nieuw/", personal.intention_create, name="intention_create"),
    path("mijn/<int:pk>/", personal.intention_edit, name="intention_edit"),
    path("mijn/<int:pk>/notitie/", personal.intention_note, name="intention_note"),
    path("mijn/<int:pk>/delen/", personal.intention_share, name="intention_share"),
    path("mijn/<int:pk>/status/", personal.intention_status, name="intention_status"),
    path("gedeeld/", personal.shared_intentions, name="shared_intentions"),
]
