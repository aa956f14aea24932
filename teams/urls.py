"""Pages of the teams app, mounted at /instellingen/."""

from django.urls import path

from teams import views

app_name = "teams"

urlpatterns = [
    path("", views.reminder_settings, name="settings"),
]
