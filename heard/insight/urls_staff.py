from django.urls import path

from heard.insight import views

app_name = "insight"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("saved/", views.saved_create, name="saved_create"),
    path("saved/delete/", views.saved_delete, name="saved_delete"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", views.import_status, name="import_status"),
    path("imports/<int:pk>/rejected.csv", views.import_rejected, name="import_rejected"),
    path("imports/<int:pk>/stop/", views.import_cancel, name="import_cancel"),
    path("imports/<int:pk>/remove/", views.import_delete, name="import_delete"),
    path("know/", views.know_index, name="know_index"),
    path("know/topic/<slug:slug>/", views.know_topic, name="know_topic"),
    path("know/place/<str:locality>/", views.know_place, name="know_place"),
    path("coverage/", views.coverage, name="coverage"),
]
