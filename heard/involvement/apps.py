from django.apps import AppConfig


class InvolvementConfig(AppConfig):
    name = "heard.involvement"
    label = "involvement"
    verbose_name = "Involvement opportunities"
