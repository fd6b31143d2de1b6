from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "heard.public"
    label = "public"
