from typing import Any

from django import forms

from heard.core.forms import NHSFormMixin, refuse_control_characters
from heard.engagement.models import ActivityDocument, FormatRequest


class DocumentForm(NHSFormMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        help_text="What the document is, as people will see it, for example "
        "“Consultation document – Easy Read”.",
        error_messages={"required": "Enter the title"},
    )
    format = forms.ChoiceField(
        label="Format",
        choices=ActivityDocument.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the format"},
    )
    language = forms.CharField(label="Language (for a translation)", required=False, max_length=64)
    file = forms.FileField(
        label="File",
        help_text="A PDF, Word or OpenDocument file up to 20 MB, an MP4 video up to 200 MB "
        "(for British Sign Language) or an MP3 audio file up to 50 MB.",
        error_messages={"required": "Choose the file to upload"},
    )


class FormatRequestForm(forms.Form):
    format = forms.ChoiceField(
        label="What format do you need?",
        choices=FormatRequest.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the format you need"},
    )
    language = forms.CharField(
        label="Which language? (if you chose another language)", required=False, max_length=64
    )
    details = forms.CharField(
        label="Anything else we should know (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the size of print you need. Do not include health details.",
    )
    email = forms.CharField(
        label="Email address (optional if you give a postal address)",
        required=False,
        max_length=254,
    )
    postal = forms.CharField(
        label="Postal address (optional if you give an email address)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
        max_length=500,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self)


class CloseRequestForm(NHSFormMixin, forms.Form):
    met = forms.ChoiceField(
        label="Did you send what was asked for?",
        choices=[("yes", "Yes, it was sent"), ("no", "No, it could not be met")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you sent what was asked for"},
    )
    note = forms.CharField(
        label="What was sent, or why it could not be",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what was sent, or why it could not be"},
    )
