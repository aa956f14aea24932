"""Goal pages. Included at the site root, so the URLs read /doelen/<id>/... and a new goal
starts from its team: /teams/<slug>/doelen/nieuw/."""

from django.urls import path

from doelen import update_views, views, views_contributions, views_period

app_name = "doelen"

urlpatterns = [
    path("doelen/<int:pk>/", views.goal_page, name="detail"),
    path("doelen/<int:pk>/bewerken/", views.goal_edit, name="edit"),
    path("doelen/<int:pk>/status/", views.goal_status, name="status"),
    path("doelen/<int:pk>/overzetten/", views.goal_carry, name="carry_over"),
    path("teams/<slug:slug>/doelen/nieuw/", views.goal_new, name="new"),
    path(
        "teams/<slug:slug>/doelen/periode-afsluiten/",
        views_period.period_close,
        name="period_close",
    ),
    path("doelen/<int:pk>/vraag-update/", update_views.request_update, name="request_update"),
    path("reacties/check-in/<int:pk>/", update_views.react, name="react"),
    path("reacties/<int:pk>/intrekken/", update_views.retract_reaction, name="retract_reaction"),
    path("mijn-updates/", update_views.my_updates, name="my_updates"),
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
