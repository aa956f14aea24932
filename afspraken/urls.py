"""Team agreement pages, included at the site root: /werkafspraken/<id>/... and, from the
team, /teams/<slug>/werkafspraken/."""

from django.urls import path

from afspraken import views

app_name = "afspraken"

urlpatterns = [
    path("teams/<slug:slug>/werkafspraken/", views.agreement_list, name="list"),
    path("teams/<slug:slug>/werkafspraken/nieuw/", views.agreement_new, name="new"),
    path("werkafspraken/<int:pk>/", views.agreement_page, name="detail"),
    path("werkafspraken/<int:pk>/bewerken/", views.agreement_edit, name="edit"),
    path("werkafspraken/<int:pk>/intrekken/", views.agreement_retire_view, name="retire"),
]
