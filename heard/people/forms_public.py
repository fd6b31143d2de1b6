"""Forms members of the public fill in: join, sign in, my details, equality monitoring.

Consent wording lives here because it is exactly what the form shows; the join and
details views record these words, unchanged, with the time.
"""

from typing import Any

from django import forms
from django.conf import settings

from heard.core.forms import refuse_control_characters
from heard.core.text import email_mixes_scripts, email_normalise
from heard.people.equality import QUESTIONS
from heard.people.postcodes import InvalidPostcode, normalise_postcode
from heard.people.selectors import topics_active

CONTACT_QUESTION = "How would you like us to contact you about opportunities to get involved?"
CONTACT_CHOICES = [("email", "Email"), ("phone", "Phone")]


def membership_consent_wording() -> str:
    return (
        f"I want to join the {settings.HEARD_ORGANISATION_NAME} membership scheme. "
        "I agree that you keep the details I have given to invite me to get involved in "
        "planning local health services, as explained in the privacy notice."
    )


def contact_consent_wording(methods: list[str]) -> str:
    """The question and the answers ticked, as shown: '' when none was ticked."""
    labels = [label for value, label in CONTACT_CHOICES if value in methods]
    return f"{CONTACT_QUESTION} {', '.join(labels)}" if labels else ""


class MemberEmailField(forms.EmailField):
    """An email address from the public: normalised (NFKC, lower case) before it is
    checked, and refused if it mixes alphabets – so a look-alike letter cannot make a
    second, identical-looking member."""

    def to_python(self, value: Any) -> str:
        return email_normalise(str(super().to_python(value)))

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and email_mixes_scripts(str(value)):
            raise forms.ValidationError(
                "Check your email address: it mixes letters from different alphabets "
                "(for example a Cyrillic ‘а’ among Latin letters). Type it again on your keyboard",
                code="mixed_scripts",
            )


class _PublicForm(forms.Form):
    """A form a member of the public fills in: no control characters in any text field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self)


class _MemberDetailsFields(_PublicForm):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter your full name"},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=20,  # room for a mistyped one: its own message says what is wrong
        help_text="For example, NR1 3SR. It tells us which part of the area you live in.",
        error_messages={"required": "Enter your postcode, like NR1 3SR"},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        required=False,
        max_length=32,
        help_text="Only if you would like us to phone you.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    interests = forms.ModelMultipleChoiceField(
        label="What are you interested in? (optional)",
        help_text="Choose as many as you like. We will tell you about chances to get involved in these.",
        queryset=topics_active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_methods = forms.MultipleChoiceField(
        label=CONTACT_QUESTION,
        help_text="Select all that apply. You can change this or unsubscribe at any time.",
        choices=CONTACT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_full_name(self) -> str:
        return " ".join(str(self.cleaned_data["full_name"]).split())

    def clean_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except InvalidPostcode as exc:
            raise forms.ValidationError(
                "Enter a real UK postcode, like NR1 3SR. Check it has no missing letters or numbers."
            ) from exc

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data.get("phone", "")).strip()
        digits = [c for c in phone if c.isdigit()]
        if phone and (len(digits) < 10 or len(digits) > 13 or any(c.isalpha() for c in phone)):
            raise forms.ValidationError(
                "Enter a phone number, like 01603 123456 or 07700 900123, or leave it empty"
            )
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # (not when the number itself was refused: one error for one mistake)
        if (
            "phone" in cleaned.get("contact_methods", [])
            and not cleaned.get("phone")
            and "phone" not in self.errors
        ):
            self.add_error(
                "contact_methods",
                "Enter a phone number if you would like us to phone you, or untick Phone",
            )
        return cleaned


class JoinForm(_MemberDetailsFields):
    email = MemberEmailField(
        label="Email address",
        max_length=254,
        help_text="We will send you an email to check it is yours.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    consent = forms.BooleanField(
        label="",
        required=True,
        error_messages={"required": "Tick the box to agree to join the membership scheme"},
    )
    field_order = ["full_name", "email", "postcode", "phone", "interests", "contact_methods"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = membership_consent_wording()
        if not self.is_bound:
            self.fields["contact_methods"].initial = ["email"]

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class MemberDetailsForm(_MemberDetailsFields):
    """My details: the email address is shown, not changed here (it is how they sign in)."""


class EmailChangeForm(_PublicForm):
    email = MemberEmailField(
        label="New email address",
        max_length=254,
        help_text="We will send a link to this address. Your address changes when you open it.",
        error_messages={
            "required": "Enter your new email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, current: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if email == self.current.lower():
            raise forms.ValidationError(
                "This is already your email address. Enter a different one, or go back"
            )
        return email


class SignInForm(_PublicForm):
    email = MemberEmailField(
        label="Email address",
        max_length=254,
        help_text="The address you joined with. We will email you a link to sign in.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class SignInCodeForm(_PublicForm):
    code = forms.CharField(
        label="Code from the email",
        max_length=12,
        help_text="The 6 numbers in the email we sent you, like 123456.",
        error_messages={"required": "Enter the 6-digit code from the email"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError("Enter the 6-digit code from the email, like 123456")
        return code


class EqualityForm(_PublicForm):
    """One optional question per characteristic, each with "Prefer not to say" (ONS 2021)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (question, choices) in QUESTIONS.items():
            self.fields[name] = forms.ChoiceField(
                label=question,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose one of the answers, or leave it empty"},
            )

    def answers(self) -> dict[str, str]:
        return {name: str(self.cleaned_data.get(name) or "") for name in QUESTIONS}
