from django.apps import AppConfig


class InvolvementConfig(AppConfig):
    name = "heard.involvement"
    label = "involvement"
    verbose_name = "Involvement opportunities"

    def ready(self) -> None:
        from heard.involvement import personal_data as involvement_personal_data
        from heard.involvement.history import invitation_history
        from heard.people import history, personal_data

        history.register(invitation_history)
        personal_data.register(
            "invitations",
            export=involvement_personal_data.invitations_export,
            erase=involvement_personal_data.invitations_erase_for,
        )
