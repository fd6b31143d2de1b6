from django.urls import path

from heard.servicechange.consultations import views

app_name = "consultations_public"

urlpatterns = [
    path("<slug:slug>/document.pdf", views.public_document_pdf, name="document_pdf"),
    path("<slug:slug>/equality-impact-assessment/", views.public_eqia, name="eqia"),
    path("<slug:slug>/document/versions/", views.public_versions, name="versions"),
    path("<slug:slug>/document/versions/<int:number>/", views.public_version, name="version"),
]
