from django.urls import path

from heard.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.create, name="create"),
    path("<int:year>/", views.detail, name="detail"),
    path("<int:year>/draft.pdf", views.draft_pdf, name="draft_pdf"),
    path("<int:year>/draft-figures.csv", views.draft_csv, name="draft_csv"),
    path("<int:year>/narrative/", views.narrative, name="narrative"),
    path("<int:year>/approve/", views.approve, name="approve"),
    path("<int:year>/publish/", views.publish, name="publish"),
    path("<int:year>/reopen/", views.reopen, name="reopen"),
    path("<int:year>/version-<int:number>/", views.version, name="version"),
    path("<int:year>/version-<int:number>.pdf", views.version_pdf, name="version_pdf"),
    path("<int:year>/version-<int:number>.csv", views.version_csv, name="version_csv"),
]
