from django.urls import path

from heard.accounts import views_rules as views

app_name = "rules"

urlpatterns = [
    path("", views.rules_page, name="page"),
    path("pre-election-periods/add/", views.period_add, name="period_add"),
    path("pre-election-periods/<int:pk>/remove/", views.period_remove, name="period_remove"),
]
