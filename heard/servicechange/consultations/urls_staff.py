from django.urls import path

from heard.servicechange.consultations import views

app_name = "consultations"

urlpatterns = [
    path("create/<int:proposal_pk>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/panel/", views.panel, name="panel"),
    path("<int:pk>/document/publish/", views.publish, name="publish"),
    path("<int:pk>/document/<slug:key>/", views.section_edit, name="section"),
    path("<int:pk>/dates/", views.dates, name="dates"),
    path("<int:pk>/open/", views.open_, name="open"),
    path("<int:pk>/scrutiny/", views.osc, name="osc"),
    path(
        "<int:pk>/scrutiny/councils/<int:council_pk>/remove/",
        views.council_remove,
        name="council_remove",
    ),
    path(
        "<int:pk>/scrutiny/responses/<int:response_pk>/file/",
        views.scrutiny_response_file,
        name="scrutiny_response_file",
    ),
    path("<int:pk>/tell-people/", views.tell, name="tell"),
    path("<int:pk>/tell-people/progress/", views.tell_progress, name="tell_progress"),
    path("<int:pk>/mid-point-review/", views.midpoint, name="midpoint"),
    path("<int:pk>/sign-off/<slug:kind>/", views.sign_off, name="sign_off"),
]
