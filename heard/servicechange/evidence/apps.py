from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "heard.servicechange.evidence"
    label = "evidence"
    verbose_name = "Evidence packs"

    def ready(self) -> None:
        from heard.servicechange.evidence import rules  # noqa: F401
