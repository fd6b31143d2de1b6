from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "heard.staff"
    label = "staff"
