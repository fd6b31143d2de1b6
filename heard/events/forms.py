from typing import Any

from django import forms

from heard.events import domain
from heard.events.models import Booking

ACCESS_NEEDS_HELP = (
    "For example, a hearing loop, a British Sign Language interpreter, step-free access, "
    "large print, somewhere quiet, or someone coming with you. Only the people organising "
    "the event can read this, and we delete it after the event."
)


class BookingForm(forms.Form):
    name = forms.CharField(
        label="Your full name",
        max_length=200,
        error_messages={"required": "Enter your full name"},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="We send your booking, a reminder and a link to cancel here.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    booking_for = forms.ChoiceField(
        label="Who is the place for?",
        choices=Booking.For.choices,
        initial=Booking.For.SELF,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the place is for"},
    )
    attendee_name = forms.CharField(
        label="Full name of the person you care for (if you are booking for them)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    access_needs = forms.CharField(
        label="Is there anything we can do to help you take part? (optional)",
        help_text=ACCESS_NEEDS_HELP,
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        if domain.is_placeholder(name):
            raise forms.ValidationError("Enter your full name")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("booking_for") == Booking.For.CARED_FOR:
            attendee = " ".join(str(data.get("attendee_name", "")).split())
            if domain.is_placeholder(attendee):
                self.add_error(
                    "attendee_name", "Enter the full name of the person you are booking for"
                )
        else:
            data["attendee_name"] = ""
        return data


class EventBookingForm(forms.Form):
    capacity = forms.IntegerField(
        label="Number of places",
        min_value=1,
        max_value=100_000,
        help_text="When every place is taken, people can join a waiting list.",
        error_messages={
            "required": "Enter the number of places",
            "min_value": "Enter a number of places of 1 or more",
            "max_value": "Enter a number of places of 100,000 or fewer",
            "invalid": "Enter the number of places as a whole number, like 20",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    booking_open = forms.BooleanField(
        label="Take bookings on the public page", required=False, initial=True
    )


class EventCancelForm(forms.Form):
    message = forms.CharField(
        label="Why is the event cancelled?",
        help_text="This goes in the email to everyone booked or on the waiting list.",
        max_length=2000,
        error_messages={"required": "Say why the event is cancelled"},
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_message(self) -> str:
        message = str(self.cleaned_data["message"]).strip()
        if domain.is_placeholder(message):
            raise forms.ValidationError("Say why the event is cancelled")
        return message
