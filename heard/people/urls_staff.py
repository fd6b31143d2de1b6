from django.urls import path

from heard.people import views_staff as views

app_name = "people"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/", views.person, name="person"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("groups/", views.groups, name="groups"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/map/", views.stakeholder_map, name="stakeholder_map"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/members/add/", views.group_member_add, name="group_member_add"),
    path(
        "groups/<int:pk>/members/<int:membership_pk>/remove/",
        views.group_member_remove,
        name="group_member_remove",
    ),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/rejected.csv", views.import_rejected, name="import_rejected"),
    path("imports/<int:pk>/delete/", views.import_purge, name="import_purge"),
    path("imports/<int:pk>/stop/", views.import_cancel, name="import_cancel"),
    path("imports/<int:pk>/carry-on/", views.import_resume, name="import_resume"),
    path("imports/<int:pk>/remove/", views.import_delete, name="import_delete"),
]
