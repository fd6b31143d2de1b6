from django.urls import path

from heard.groups import views_public as views

app_name = "groups_public"

urlpatterns = [
    path("", views.group_index, name="index"),
    path("mine/", views.my_groups, name="mine"),
    path("papers/<int:pk>/", views.paper_download, name="paper"),
    path("<slug:slug>/", views.group_page, name="group"),
    path("<slug:slug>/meetings/<int:pk>/", views.meeting_minutes, name="minutes"),
]
