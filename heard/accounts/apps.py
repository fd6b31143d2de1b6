from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "heard.accounts"
    label = "accounts"

    def ready(self) -> None:
        from heard.accounts import receivers  # noqa: F401  (connects the audit receivers)
