from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "heard.engagement"
    label = "engagement"
    verbose_name = "Engagement activities"
