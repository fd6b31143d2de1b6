from django.urls import path

from heard.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.index, name="index"),
    path("activity/<int:pk>/", views.activity, name="activity"),
    path("activity/<int:pk>/responses/", views.responses, name="responses"),
    path("question/<int:pk>/", views.question, name="question"),
    path("publication/<int:pk>/open-data/", views.open_data, name="open_data"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/download/", views.download, name="download"),
]
