from django.urls import path

from rollen import views

app_name = "rollen"

urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("personen/", views.people, name="people"),
    path("vergelijken/", views.compare, name="compare"),
    path("audit/", views.audit, name="audit"),
    path("export/<slug:overview>/<slug:file_format>/", views.export, name="export"),
    path("import/", views.import_upload, name="import"),
    path("import/controleren/", views.import_check, name="import_check"),
    path("import/toepassen/", views.import_apply_view, name="import_apply"),
]
