from typing import Any

from django import forms

from heard.people.models import Group, Topic
from heard.people.postcodes import LOCALITIES
from heard.servicechange.follow.models import Follower
from heard.servicechange.proposals.selectors import public_proposals

PUBLIC_GROUP_KINDS = [
    Group.Kind.PPG,
    Group.Kind.REFERENCE_GROUP,
    Group.Kind.FORUM,
    Group.Kind.VCSE,
]


class FollowForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="We will email you a link to confirm. Nothing is sent until you do.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    frequency = forms.ChoiceField(
        label="How often would you like to hear?",
        choices=Follower.Frequency.choices,
        initial=Follower.Frequency.AS_IT_HAPPENS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often you would like to hear"},
    )
    proposals = forms.MultipleChoiceField(
        label="Proposals for change", required=False, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.MultipleChoiceField(
        label="Topics", required=False, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.MultipleChoiceField(
        label="Areas", required=False, widget=forms.CheckboxSelectMultiple
    )
    groups = forms.MultipleChoiceField(
        label="Groups", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._labels: dict[str, dict[str, str]] = {}
        self._choices(
            "proposals", [(str(p.pk), p.title) for p in public_proposals().order_by("title")]
        )
        self._choices(
            "topics",
            [(str(t.pk), t.name) for t in Topic.objects.filter(active=True).order_by("name")],
        )
        self._choices("areas", [(name, name) for name in LOCALITIES])
        groups = Group.objects.filter(active=True, kind__in=PUBLIC_GROUP_KINDS).order_by("name")
        self._choices("groups", [(str(g.pk), g.name) for g in groups])

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices
        self._labels[name] = dict(choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f) for f in ("proposals", "topics", "areas", "groups")):
            raise forms.ValidationError("Choose at least one thing to follow")
        return data

    def targets(self) -> list[Any]:
        from heard.servicechange.follow.services import Target

        labels = self._labels
        kinds = {"proposals": "proposal", "topics": "topic", "areas": "area", "groups": "group"}
        return [
            Target(kind=kinds[name], key=key, label=str(labels[name][key]))
            for name in kinds
            for key in self.cleaned_data.get(name) or []
        ]
