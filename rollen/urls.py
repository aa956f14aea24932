from django.urls import path

from rollen import views, views_export, views_import, views_people

app_name = "rollen"

urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("teams/<slug:slug>/", views.team_roles_page, name="team"),
    path("personen/", views.people, name="people"),
    path("vergelijken/", views.compare, name="compare"),
    path("audit/", views.audit, name="audit"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("aantallen/", views_people.counts, name="counts"),
    path("mensen/", views_people.person_list, name="person_search"),
    path("mensen/<int:pk>/", views_people.person_detail, name="person"),
    path("mensen/<int:pk>/export/", views_people.person_export, name="person_export"),
    path("export/bestand/<int:pk>/", views_export.export_file_page, name="export_file"),
    path(
        "export/bestand/<int:pk>/status/",
        views_export.export_file_status,
        name="export_file_status",
    ),
    path(
        "export/bestand/<int:pk>/download/",
        views_export.export_file_download,
        name="export_file_download",
    ),
    path("export/<slug:overview>/<slug:file_format>/", views.export, name="export"),
    path("import/", views_import.import_upload, name="import"),
    path("import/<int:pk>/", views_import.import_check, name="import_check"),
    path("import/<int:pk>/voortgang/", views_import.import_progress, name="import_progress"),
    path("import/<int:pk>/toepassen/", views_import.import_apply_view, name="import_apply"),
]
