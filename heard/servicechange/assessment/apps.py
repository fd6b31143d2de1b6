from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "heard.servicechange.assessment"
    label = "assessment"
    verbose_name = "Options appraisal, significance and assurance"

    def ready(self) -> None:
        from heard.servicechange.assessment import rules  # noqa: F401
