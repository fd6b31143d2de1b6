from django.urls import path

from heard.reports import views_public

app_name = "reports_public"

urlpatterns = [
    path("", views_public.index, name="index"),
    path("<int:year>/", views_public.detail, name="detail"),
    path("<int:year>/version-<int:number>/", views_public.detail, name="version"),
    path("<int:year>/version-<int:number>.pdf", views_public.pdf, name="pdf"),
    path("<int:year>/version-<int:number>.csv", views_public.annex, name="csv"),
]
