from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "heard.evidence"
    label = "evidence"
    verbose_name = "Evidence packs"

    def ready(self) -> None:
        from heard.evidence import rules  # noqa: F401
