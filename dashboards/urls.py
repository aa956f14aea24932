from django.urls import path

from dashboards import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisatie/", views.organisation, name="organisation"),
    path("teams/<slug:slug>/", views.team, name="team"),
]
