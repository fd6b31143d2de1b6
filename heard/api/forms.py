from django import forms

from heard.api import domain
from heard.core.forms import NHSFormMixin


class TokenForm(NHSFormMixin, forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, 'Monthly responses report in Power BI'. Only you see this.",
        max_length=100,
        error_messages={"required": "Enter what the token is for"},
    )
    days = forms.TypedChoiceField(
        label="How long should it last?",
        choices=[(d, f"{d} days") for d in domain.LIFETIMES],
        coerce=int,
        initial=30,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how long the token lasts"},
    )
