"""Forms for running standing groups. They check shape; the services check the rules."""

from typing import Any

from django import forms

from heard.core.forms import NHSDateField, NHSDateTimeField
from heard.groups import domain
from heard.groups.models import Attendance, MembershipTerm
from heard.people.models import Topic


def _date(label: str, *, required: bool = True, help_text: str = "") -> NHSDateField:
    return NHSDateField(
        label=label,
        required=required,
        hint=help_text,
        error_messages={"required": f"Enter the date: {label.lower()}"},
    )


def _datetime(label: str, *, required: bool = True) -> NHSDateTimeField:
    return NHSDateTimeField(
        label=label,
        required=required,
        hint="UK time, for example 1 3 2027 and 6:30pm",
        error_messages={"required": f"Enter {label.lower()}"},
    )


def _text(
    label: str,
    *,
    rows: int = 0,
    required: bool = True,
    help_text: str = "",
    max_length: int = 20000,
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        error_messages={"required": f"Enter {label[0].lower() + label[1:]}"},
    )


class SetUpForm(forms.Form):
    group: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,  # set in __init__
        label="Group",
        empty_label="Choose a group",
        error_messages={"required": "Choose the group to set up"},
    )

    def __init__(self, *args: Any, groups: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]


class SettingsForm(forms.Form):
    public = forms.BooleanField(
        label="Show this group on the public site",
        required=False,
        help_text="What it is, its terms of reference, when it next meets and its approved minutes",
    )
    public_summary = _text(
        "What the group is, in plain words",
        rows=4,
        required=False,
        help_text="Shown on the public page. No personal details.",
        max_length=2000,
    )
    meets = _text(
        "How often it meets",
        required=False,
        help_text="For example, every two months",
        max_length=200,
    )


class TermsOfReferenceForm(forms.Form):
    text = _text(
        "Terms of reference",
        rows=12,
        help_text="Purpose, membership, how it works, who it reports to",
    )
    agreed_on = _date("Date agreed")
    review_on = _date("Review date")


class TermForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=MembershipTerm.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role"},
    )
    member: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Person (chair or member)",
        empty_label="Choose a person",
        help_text="From the group's members",
    )
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Member of staff (staff lead)",
        empty_label="Choose a member of staff",
    )
    starts_on = _date("Term starts")
    ends_on = _date("Term ends", required=False, help_text="Leave empty if the term has no set end")
    named_publicly = forms.BooleanField(
        label="The chair agreed to be named on the public page", required=False
    )

    def __init__(self, *args: Any, members: Any = None, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]
        self.fields["member"].label_from_instance = lambda m: m.full_name  # type: ignore[attr-defined]
        self.fields["user"].queryset = staff  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda u: u.full_name or u.email  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role == MembershipTerm.Role.STAFF_LEAD and not data.get("user"):
            self.add_error("user", "Choose the member of staff who leads the group")
        if role in (MembershipTerm.Role.CHAIR, MembershipTerm.Role.MEMBER) and not data.get(
            "member"
        ):
            self.add_error("member", "Choose the person from the group's members")
        return data


class EndTermForm(forms.Form):
    ends_on = _date("Term ends")


class MeetingForm(forms.Form):
    title = _text("Title", help_text="For example, Spring meeting", max_length=200)
    starts_at = _datetime("Starts")
    ends_at = _datetime("Ends", required=False)
    place = _text("Place", required=False, help_text="Address or room", max_length=300)
    link = forms.URLField(
        label="Link to join online",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full web address, starting https://"},
    )


class AgendaItemForm(forms.Form):
    title = _text("Agenda item", max_length=300)
    notes = _text("Notes", rows=3, required=False, max_length=5000)


class PaperForm(forms.Form):
    title = _text("Paper title", max_length=300)
    file = forms.FileField(
        label="File",
        help_text="A PDF, Word (.docx), OpenDocument (.odt) or Excel (.xlsx) file, up to 20 MB",
        widget=forms.ClearableFileInput(attrs={"accept": domain.PAPER_ACCEPT}),
        error_messages={"required": "Choose a file to upload", "empty": "The file is empty"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        problem = domain.paper_problem(upload.name or "", upload.size or 0, head)
        if problem:
            raise forms.ValidationError(problem)
        return upload


class MinutesForm(forms.Form):
    text = _text("Minutes", rows=14, max_length=100000)


class CorrectionForm(forms.Form):
    text = _text("Corrected minutes", rows=14, max_length=100000)
    reason = _text("Why the approved minutes are being corrected", rows=3, max_length=2000)


class HeardForm(forms.Form):
    text = _text(
        "What the group said",
        rows=3,
        help_text="One point in the group's words; it goes into the insight bank when the minutes are approved",
        max_length=5000,
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.filter(active=True).order_by("name"),
        required=False,
        label="Topic",
        empty_label="No topic",
    )


class ApproveForm(forms.Form):
    approver: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        label="Approved by",
        empty_label="Choose the chair or staff lead",
        error_messages={"required": "Choose who approved the minutes"},
    )

    def __init__(self, *args: Any, approvers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = approvers  # type: ignore[attr-defined]
        self.fields["approver"].label_from_instance = lambda t: f"{t.name} ({t.get_role_display()})"  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    text = _text("Decision", rows=3, max_length=5000)


class ActionForm(forms.Form):
    text = _text("Action", rows=3, max_length=5000)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        label="Owner",
        empty_label="Choose who will do it",
        error_messages={"required": "Choose who owns the action"},
    )
    due_on = _date("Due")

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = lambda t: f"{t.name} ({t.get_role_display()})"  # type: ignore[attr-defined]


ATTENDANCE_CHOICES = [("", "Not recorded"), *Attendance.Status.choices]
