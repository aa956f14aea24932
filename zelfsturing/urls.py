from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from zelfsturing import views

urlpatterns = [
    path("", views.home, name="home"),
    path("teams/<slug:slug>/", views.team_detail, name="team_detail"),
    path("account/", include("django.contrib.auth.urls")),
    path("taal/", login_not_required(views.switch_language), name="switch_language"),
    path("admin/", admin.site.urls),
]
