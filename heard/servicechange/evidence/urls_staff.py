from django.urls import path

from heard.servicechange.evidence import views

app_name = "evidence"

urlpatterns = [
    path("proposal/<int:pk>/", views.proposal_packs, name="proposal"),
    path("proposal/<int:pk>/build/", views.build, name="build"),
    path("pack/<int:pk>/download/", views.download, name="download"),
]
