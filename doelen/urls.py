"""Goal pages. Included at the site root, so the URLs read /doelen/<id>/... and a new goal
starts from its team: /teams/<slug>/doelen/nieuw/."""

from django.urls import path

from doelen import views, views_contributions

app_name = "doelen"

urlpatterns = [
    path("doelen/<int:pk>/", views.goal_page, name="detail"),
    path("doelen/<int:pk>/bewerken/", views.goal_edit, name="edit"),
    path("doelen/<int:pk>/status/", views.goal_status, name="status"),
    path("doelen/<int:pk>/overzetten/", views.goal_carry, name="carry_over"),
    path("teams/<slug:slug>/doelen/nieuw/", views.goal_new, name="new"),
    path(
        "doelen/<int:pk>/bijdragen/",
        views_contributions.contribution_new,
        name="contribution_add",
    ),
    path(
        "doelen/<int:pk>/bijdragen/<int:contribution>/beeindigen/",
        views_contributions.contribution_stop,
        name="contribution_end",
    ),
]
