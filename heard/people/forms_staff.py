"""Forms for the staff pages on people, groups and imports."""

from typing import Any

from django import forms

from heard.core.forms import NHSFormMixin
from heard.people.imports.validation import FIELDS
from heard.people.models import Group, GroupMembership, Member, Topic
from heard.people.postcodes import LOCALITIES, InvalidPostcode, normalise_postcode
from heard.people.selectors_staff import DirectoryFilter
from heard.people.services.imports import MAX_UPLOAD_BYTES

_SCORES = [(n, str(n)) for n in range(1, 6)]


class DirectoryForm(forms.Form):
    q = forms.CharField(
        label="Name, email or postcode",
        required=False,
        max_length=200,
        help_text="Part of a name, the start of an email address, or a full postcode",
    )
    district = forms.CharField(
        label="Postcode district", required=False, max_length=4, help_text="For example, NR1"
    )
    locality = forms.ChoiceField(
        label="Locality",
        required=False,
        choices=[("", "Any locality"), *[(x, x) for x in LOCALITIES], ("Outside the area",) * 2],
    )
    interest = forms.ModelChoiceField(
        label="Interest", required=False, queryset=Topic.objects.all(), empty_label="Any interest"
    )
    group = forms.ModelChoiceField(
        label="Group", required=False, queryset=Group.objects.all(), empty_label="Any group"
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status except erased"), *Member.Status.choices],
    )

    def clean_district(self) -> str:
        value = self.cleaned_data["district"].strip().upper()
        if value and not value[:1].isalpha():
            raise forms.ValidationError("Enter the first part of a postcode, like NR1 or IP22")
        return value

    def to_filter(self) -> DirectoryFilter:
        if not self.is_bound or not self.is_valid():
            return DirectoryFilter()
        data = self.cleaned_data
        return DirectoryFilter(
            q=data["q"],
            district=data["district"],
            locality=data["locality"],
            interest=data["interest"].pk if data["interest"] else None,
            group=data["group"].pk if data["group"] else None,
            status=data["status"],
        )


class GroupForm(NHSFormMixin, forms.ModelForm):
    interest = forms.TypedChoiceField(
        label="Interest in our work",
        choices=_SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="1 = little interest, 5 = very interested",
    )
    influence = forms.TypedChoiceField(
        label="Influence over decisions",
        choices=_SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="1 = little influence, 5 = a great deal",
    )

    class Meta:
        model = Group
        fields = (
            "name",
            "kind",
            "stakeholder_type",
            "gp_practice",
            "locality",
            "description",
            "email",
            "interest",
            "influence",
            "active",
        )
        labels = {
            "name": "Name",
            "kind": "Type of group",
            "stakeholder_type": "Type of stakeholder body",
            "gp_practice": "GP practice",
            "locality": "Locality",
            "description": "Description",
            "email": "Contact email address",
            "active": "We are in touch with this group now",
        }
        help_texts = {
            "stakeholder_type": "Only for stakeholder bodies",
            "gp_practice": "Only for a patient participation group",
            "email": "The group's own address, not a person's (optional)",
        }
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "name": {
                "required": "Enter the group's name",
                "unique": "A group with this name already exists. Choose another name",
            },
            "kind": {"required": "Choose the type of group"},
            "email": {"invalid": "Enter an email address like name@example.com"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholder_type"].choices = [  # type: ignore[attr-defined]
            ("", "Not a stakeholder body"),
            *Group.StakeholderType.choices,
        ]
        self.fields["kind"].choices = list(Group.Kind.choices)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == Group.Kind.STAKEHOLDER and not data.get("stakeholder_type"):
            self.add_error("stakeholder_type", "Choose the type of stakeholder body")
        if kind == Group.Kind.PPG and not data.get("gp_practice"):
            self.add_error(
                "gp_practice", "Enter the GP practice this patient participation group belongs to"
            )
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PersonForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the person's full name"},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    phone = forms.CharField(label="Phone number", required=False, max_length=32)
    postcode = forms.CharField(
        label="Postcode", required=False, max_length=10, help_text="For example, NR1 3SR"
    )
    group = forms.ModelChoiceField(
        label="Add to a group (optional)",
        required=False,
        queryset=Group.objects.all(),
        empty_label="No group",
    )
    role = forms.ChoiceField(
        label="Role in the group", choices=GroupMembership.Role.choices, required=False
    )

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if value:
            try:
                return normalise_postcode(value)
            except InvalidPostcode as exc:
                raise forms.ValidationError(str(exc)) from exc
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("email") or data.get("phone") or data.get("postcode")) and not (
            self.errors.get("email") or self.errors.get("postcode")
        ):
            self.add_error("email", "Enter an email address, a phone number or a postcode")
        return data


class PersonEditForm(forms.Form):
    """Correcting a person's details. Email and contact preferences are the person's own to
    change (they are tied to sign-in and consent), so they are not here."""

    full_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter the full name"}
    )
    phone = forms.CharField(label="Phone number", required=False, max_length=32)
    postcode = forms.CharField(
        label="Postcode", required=False, max_length=10, help_text="For example, NR1 3SR"
    )
    interests = forms.ModelMultipleChoiceField(
        label="Interests",
        required=False,
        queryset=Topic.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if value:
            try:
                return normalise_postcode(value)
            except InvalidPostcode as exc:
                raise forms.ValidationError(str(exc)) from exc
        return value


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label="Find a person by name, email or postcode",
        max_length=200,
        min_length=2,
        help_text="At least 2 characters",
        error_messages={
            "required": "Enter part of a name, email address or postcode",
            "min_length": "Enter at least 2 characters",
        },
    )


class AddToGroupForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=Member.objects.exclude(status=Member.Status.ERASED), widget=forms.HiddenInput
    )
    role = forms.ChoiceField(label="Role", choices=GroupMembership.Role.choices)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        error_messages={
            "required": "Choose a CSV or Excel file to upload",
            "empty": "The file is empty. Choose the file with your list of people",
        },
        help_text=(
            "A CSV (.csv) or Excel (.xlsx) file, up to 20 MB, with the column names in the "
            "first row and one person per row"
        ),
    )
    group = forms.ModelChoiceField(
        label="Add everyone to a group (optional)",
        required=False,
        queryset=Group.objects.all(),
        empty_label="No group",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "The file is larger than 20 MB. Split it into smaller files and import each one"
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV (.csv) or Excel (.xlsx) file")
        return upload


class MappingForm(forms.Form):
    """One choice per import field: which column of the file holds it."""

    def __init__(
        self,
        *args: Any,
        columns: list[str],
        initial_mapping: dict[str, str],
        group: Group | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file"), *[(c, c) for c in columns]]
        for name, label in FIELDS.items():
            self.fields[name] = forms.ChoiceField(
                label=label, required=False, choices=choices, initial=initial_mapping.get(name, "")
            )
        self.fields["group"] = forms.ModelChoiceField(
            label="Add everyone to a group (optional)",
            required=False,
            queryset=Group.objects.all(),
            empty_label="No group",
            initial=group,
            help_text="People already held are added to the group too, with the role from the file",
        )

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in FIELDS}
