"""Questionnaire rules, free of Django: question kinds, answer validation, conditional
display, pages, and the versioning rule.

A questionnaire is described to these functions as plain ``QuestionSpec`` objects, so
the same rules serve the public form, staff data entry and the file import. Answers are
kept by question key as the raw strings a form sends (a list for multiple choice and
ranking), and ``clean_answer`` turns them into what is stored: free text in ``text``,
everything else as a JSON ``value``.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from heard.core.text import control_character_message, has_control_characters
from heard.people import equality
from heard.people.postcodes import InvalidPostcode, normalise_postcode

SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
LIKERT = "likert"
RANKING = "ranking"
YES_NO = "yes_no"
NUMBER = "number"
DATE = "date"
POSTCODE = "postcode"
RESPONDENT_TYPE = "respondent_type"
EQUALITY = "equality"

KINDS = (
    SHORT_TEXT,
    LONG_TEXT,
    SINGLE_CHOICE,
    MULTIPLE_CHOICE,
    LIKERT,
    RANKING,
    YES_NO,
    NUMBER,
    DATE,
    POSTCODE,
    RESPONDENT_TYPE,
    EQUALITY,
)
FREE_TEXT_KINDS = (SHORT_TEXT, LONG_TEXT)
# Kinds whose options the builder asks for.
KINDS_WITH_OPTIONS = (SINGLE_CHOICE, MULTIPLE_CHOICE, RANKING)

SHORT_TEXT_LIMIT = 200
LONG_TEXT_DEFAULT_LIMIT = 2000

LIKERT_OPTIONS: list[tuple[str, str]] = [
    ("strongly_agree", "Strongly agree"),
    ("agree", "Agree"),
    ("neutral", "Neither agree nor disagree"),
    ("disagree", "Disagree"),
    ("strongly_disagree", "Strongly disagree"),
    ("dont_know", "Don't know"),
]
YES_NO_OPTIONS: list[tuple[str, str]] = [("yes", "Yes"), ("no", "No")]
RESPONDENT_TYPE_OPTIONS: list[tuple[str, str]] = [
    ("individual", "As an individual"),
    ("organisation", "On behalf of an organisation"),
]
# The "about you" block asks these (heard.people.equality), every one optional.
EQUALITY_QUESTIONS = equality.QUESTIONS


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str
    text: str
    required: bool = False
    options: Sequence[tuple[str, str]] = ()
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    show_if_key: str = ""
    show_if_values: Sequence[str] = ()
    page: int = 0

    @property
    def is_free_text(self) -> bool:
        return self.kind in FREE_TEXT_KINDS

    def choices(self) -> list[tuple[str, str]]:
        """The options a person chooses from."""
        if self.kind == LIKERT:
            return list(self.options) or LIKERT_OPTIONS
        if self.kind == YES_NO:
            return YES_NO_OPTIONS
        if self.kind == RESPONDENT_TYPE:
            return RESPONDENT_TYPE_OPTIONS
        return [(str(v), str(label)) for v, label in self.options]

    def limit(self) -> int | None:
        if self.kind == SHORT_TEXT:
            return min(self.max_length or SHORT_TEXT_LIMIT, SHORT_TEXT_LIMIT)
        if self.kind == LONG_TEXT:
            return self.max_length or LONG_TEXT_DEFAULT_LIMIT
        return None


@dataclass
class Cleaned:
    """A valid answer: ``text`` for free text, ``value`` for the rest (None = no answer)."""

    text: str = ""
    value: object = None
    empty: bool = True


@dataclass
class PageResult:
    answers: dict[str, Cleaned] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


RawAnswer = str | list[str]
RawAnswers = Mapping[str, RawAnswer]


def _as_list(raw: RawAnswer | None) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw] if raw.strip() else []
    return [r for r in raw if r.strip()]


def _as_text(raw: RawAnswer | None) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list):
        return " ".join(raw).strip()
    return raw.strip()


def is_visible(question: QuestionSpec, answers: RawAnswers) -> bool:
    """A conditional question shows only when the earlier answer is one of its values."""
    if not question.show_if_key:
        return True
    given = _as_list(answers.get(question.show_if_key))
    return any(v in question.show_if_values for v in given)


def clean_answer(question: QuestionSpec, raw: RawAnswer | None) -> tuple[Cleaned, str]:
    """Validate one answer. Returns (cleaned, error message or "")."""
    q = question
    if q.kind == EQUALITY:
        return Cleaned(), ""  # answered through its own fields, see clean_equality
    if q.kind in (MULTIPLE_CHOICE, RANKING):
        values = _as_list(raw)
        if not values:
            if not q.required:
                return Cleaned(), ""
            if q.kind == RANKING:
                return Cleaned(), "Give at least one option a number"
            return Cleaned(), "Select at least one answer"
        allowed = {v for v, _ in q.choices()}
        if q.kind == RANKING:
            pairs = ranking_pairs(values)
            if len(pairs) != len(values) or any(v not in allowed for _, v in pairs):
                return Cleaned(), "Use the numbers shown to rank the options"
            return _clean_ranking(q, pairs)
        if any(v not in allowed for v in values):
            return Cleaned(), "Choose from the options shown"
        return Cleaned(value=list(dict.fromkeys(values)), empty=False), ""
    text = _as_text(raw)
    if has_control_characters(text):
        # A NUL cannot be stored in PostgreSQL: refused here, never a server error.
        return Cleaned(), control_character_message(_short(q.text))
    if not text:
        if q.required:
            return Cleaned(), _required_message(q)
        return Cleaned(), ""
    if q.kind in FREE_TEXT_KINDS:
        limit = q.limit()
        if limit is not None and len(text) > limit:
            return Cleaned(), (
                f"Your answer must be {limit:,} characters or fewer – "
                f"it is {len(text):,} characters now"
            )
        return Cleaned(text=text, empty=False), ""
    if q.kind in (SINGLE_CHOICE, LIKERT, YES_NO, RESPONDENT_TYPE):
        if text not in {v for v, _ in q.choices()}:
            return Cleaned(), "Choose one of the options shown"
        return Cleaned(value=text, empty=False), ""
    if q.kind == NUMBER:
        return _clean_number(q, text)
    if q.kind == DATE:
        return _clean_date(text)
    if q.kind == POSTCODE:
        try:
            postcode = normalise_postcode(text)
        except InvalidPostcode:
            return Cleaned(), "Enter a full UK postcode, like NR1 3SR"
        return Cleaned(value=postcode, empty=False), ""
    return Cleaned(), f"Unknown question type {q.kind}"


def _required_message(q: QuestionSpec) -> str:
    """Names the question, so that an error summary listing several can be told apart."""
    name = _short(q.text)
    if q.kind in (SINGLE_CHOICE, LIKERT, YES_NO, RESPONDENT_TYPE):
        return f"Select an answer to ‘{name}’"
    if q.kind == DATE:
        return f"Enter a date for ‘{name}’, like 27 3 2024"
    return f"Enter an answer to ‘{name}’"


def _short(text: str, limit: int = 80) -> str:
    """A question's text for a message: whole if short, else cut at a word, with '…'."""
    text = " ".join(text.split()).rstrip("?:. ")
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:– ") + "…"


def ranking_pairs(values: Sequence[str]) -> list[tuple[int, str]]:
    """Raw ranking answers are "rank:value" strings (a number chosen beside each option)."""
    pairs: list[tuple[int, str]] = []
    for item in values:
        rank, _, value = item.partition(":")
        if rank.strip().isdigit() and value:
            pairs.append((int(rank), value))
    return pairs


def _clean_ranking(q: QuestionSpec, pairs: list[tuple[int, str]]) -> tuple[Cleaned, str]:
    # Ranking without JavaScript: a number beside each option (1 = most important).
    ranks = [r for r, _ in pairs]
    if len(set(ranks)) != len(ranks):
        return Cleaned(), "Give each option a different number"
    if len({v for _, v in pairs}) != len(pairs):
        return Cleaned(), "Rank each option only once"
    return Cleaned(value=[v for _, v in sorted(pairs)], empty=False), ""


def _clean_number(q: QuestionSpec, text: str) -> tuple[Cleaned, str]:
    cleaned = text.replace(",", "").strip()
    if not re.fullmatch(r"-?\d+", cleaned):
        return Cleaned(), "Enter a whole number, like 3"
    number = int(cleaned)
    if q.min_value is not None and number < q.min_value:
        return Cleaned(), f"Enter a number that is {q.min_value} or more"
    if q.max_value is not None and number > q.max_value:
        return Cleaned(), f"Enter a number that is {q.max_value} or less"
    return Cleaned(value=number, empty=False), ""


_DATE_FORMATS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),  # ISO (the date input, imports)
    re.compile(r"^(\d{1,2})[/\s.-]+(\d{1,2})[/\s.-]+(\d{4})$"),  # 27/3/2024, 27 3 2024
)


def parse_date(text: str) -> date | None:
    text = text.strip()
    iso = _DATE_FORMATS[0].match(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        uk = _DATE_FORMATS[1].match(text)
        if uk:
            return date(int(uk[3]), int(uk[2]), int(uk[1]))
    except ValueError:
        return None
    return None


def _clean_date(text: str) -> tuple[Cleaned, str]:
    parsed = parse_date(text)
    if parsed is None:
        return Cleaned(), "Enter a real date, like 27 3 2024"
    return Cleaned(value=parsed.isoformat(), empty=False), ""


def clean_equality(raw: RawAnswers) -> dict[str, str]:
    """The "about you" answers that are real options; anything else is dropped."""
    out: dict[str, str] = {}
    for key, (_, options) in EQUALITY_QUESTIONS.items():
        value = _as_text(raw.get(f"eq_{key}"))
        if value and value in {v for v, _ in options}:
            out[key] = value
    return out


def clean_page(questions: Sequence[QuestionSpec], raw: RawAnswers) -> PageResult:
    """Validate the visible questions of one page against everything answered so far."""
    result = PageResult()
    for q in questions:
        if not is_visible(q, raw):
            continue
        cleaned, error = clean_answer(q, raw.get(q.key))
        if error:
            result.errors[q.key] = error
            continue
        if q.kind == RESPONDENT_TYPE and cleaned.value == "organisation":
            organisation = _as_text(raw.get(organisation_key(q.key)))[:200]
            if has_control_characters(organisation):
                result.errors[organisation_key(q.key)] = control_character_message(
                    "the name of the organisation"
                )
                continue
            if not organisation:
                result.errors[organisation_key(q.key)] = "Enter the name of the organisation"
                continue
            cleaned.text = organisation
        if not cleaned.empty:
            result.answers[q.key] = cleaned
    return result


def control_character_errors(questions: Sequence[QuestionSpec], raw: RawAnswers) -> dict[str, str]:
    """Errors for every answer so far holding a control character (before saving a draft)."""
    errors: dict[str, str] = {}
    for q in questions:
        if has_control_characters(raw.get(q.key)):
            errors[q.key] = control_character_message(_short(q.text))
        if has_control_characters(raw.get(organisation_key(q.key))):
            errors[organisation_key(q.key)] = control_character_message(
                "the name of the organisation"
            )
    return errors


def organisation_key(key: str) -> str:
    """The raw answer key of the organisation name that goes with a respondent-type question."""
    return f"{key}__org"


def clean_all(questions: Sequence[QuestionSpec], raw: RawAnswers) -> PageResult:
    """Validate a whole response: every visible question on every page."""
    return clean_page(questions, raw)


def first_error_page(questions: Sequence[QuestionSpec], errors: Mapping[str, str]) -> int:
    for q in questions:
        if q.key in errors or organisation_key(q.key) in errors:
            return q.page
    return 0


_TRUTHY = {"yes", "y", "true", "1", "x", "✓", "ticked"}
_FALSY = {"no", "n", "false", "0"}


def raw_from_cell(question: QuestionSpec, cell: str) -> RawAnswer:
    """A spreadsheet cell, as typed by a person entering paper responses, as a raw answer.

    Options may be given by their label or value in any case; several options are
    separated by semicolons (or commas when no option label contains a comma); a ranking
    lists options best first; yes/no accepts y/n, true/false, 1/0.
    """
    text = " ".join(cell.split())
    if not text or question.is_free_text or question.kind in (NUMBER, DATE, POSTCODE):
        return text
    lookup = {}
    for value, label in question.choices():
        lookup[value.lower()] = value
        lookup[label.lower()] = value
        lookup[label.lower().rstrip(".")] = value
    if question.kind == YES_NO:
        low = text.lower()
        if low in _TRUTHY:
            return "yes"
        if low in _FALSY:
            return "no"
    if question.kind in (MULTIPLE_CHOICE, RANKING):
        labels_have_commas = any("," in label for _, label in question.choices())
        parts = re.split(r";" if labels_have_commas or ";" in text else r"[;,]", text)
        values = [lookup.get(p.strip().lower(), p.strip()) for p in parts if p.strip()]
        if question.kind == RANKING:
            return [f"{i}:{v}" for i, v in enumerate(values, 1)]
        return values
    return lookup.get(text.lower(), text)


def pages(questions: Sequence[QuestionSpec]) -> list[list[QuestionSpec]]:
    """Questions grouped by page (section), in order."""
    by_page: dict[int, list[QuestionSpec]] = {}
    for q in questions:
        by_page.setdefault(q.page, []).append(q)
    return [by_page[p] for p in sorted(by_page)]


def visible_pages(questions: Sequence[QuestionSpec], raw: RawAnswers) -> list[int]:
    """Indexes of the pages that have at least one question to show, given the answers."""
    return [i for i, page in enumerate(pages(questions)) if any(is_visible(q, raw) for q in page)]


def page_count_is_fixed(questions: Sequence[QuestionSpec]) -> bool:
    """Whether every respondent sees the same number of pages: false when a whole page
    is shown only for some answers. A questionnaire whose length depends on the answers
    does not say "page 2 of 5", which would become "page 2 of 4" after an answer."""
    return all(any(not q.show_if_key for q in page) for page in pages(questions))


def condition_problems(questions: Sequence[QuestionSpec]) -> list[str]:
    """Conditions must point to an earlier question with options that exist."""
    problems: list[str] = []
    seen: dict[str, QuestionSpec] = {}
    for q in questions:
        if q.show_if_key:
            target = seen.get(q.show_if_key)
            if target is None:
                problems.append(
                    f"“{q.text}” depends on a question that does not come before it; "
                    "choose an earlier question"
                )
            else:
                allowed = {v for v, _ in target.choices()}
                missing = [v for v in q.show_if_values if v not in allowed]
                if missing or not q.show_if_values:
                    problems.append(
                        f"“{q.text}” depends on answers that “{target.text}” does not offer"
                    )
        seen[q.key] = q
    return problems


def needs_new_version(*, response_count: int) -> bool:
    """Once a version has responses it is frozen: editing makes a new version."""
    return response_count > 0


def parse_options(text: str) -> list[tuple[str, str]]:
    """Options typed one per line become (value, label) pairs with stable slug values."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for line in text.splitlines():
        label = line.strip()
        if not label:
            continue
        value = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40] or "option"
        base, n = value, 1
        while value in seen:
            n += 1
            value = f"{base}_{n}"
        seen.add(value)
        out.append((value, label))
    return out


def display_answer(question: QuestionSpec, text: str, value: object) -> str:
    """An answer in words, for the check-your-answers page and staff views."""
    if question.is_free_text:
        return text
    labels = dict(question.choices())
    if isinstance(value, list):
        if question.kind == RANKING:
            return "; ".join(f"{i}. {labels.get(v, v)}" for i, v in enumerate(value, 1))
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if value is None:
        return ""
    if question.kind == DATE and isinstance(value, str):
        parsed = parse_date(value)
        return f"{parsed.day} {parsed:%B %Y}" if parsed else value
    return labels.get(str(value), str(value))


# --- the paper version -------------------------------------------------------------------


@dataclass(frozen=True)
class PaperQuestion:
    number: int
    text: str
    hint: str
    required: bool
    boxes: list[str]  # labels to tick (choices); empty for written answers
    many: bool  # tick all that apply (else tick one)
    lines: int  # ruled lines for a written answer (0 for choices)
    condition: str  # when to answer it, in words ("" always)
    ranking: bool = False

    @property
    def ruled(self) -> range:
        return range(self.lines)


@dataclass(frozen=True)
class PaperPage:
    title: str
    questions: list[PaperQuestion]


def paper_form(
    specs: Sequence[QuestionSpec], page_titles: Sequence[str], hints: dict[str, str]
) -> list[PaperPage]:
    """The questionnaire laid out for paper: every question (a condition said in words,
    since paper cannot hide a question), boxes to tick, lines to write on sized to the
    answer allowed, and the "about you" questions with "prefer not to say"."""
    by_key = {s.key: s for s in specs}
    out: list[PaperPage] = []
    number = 0
    for index, page in enumerate(pages(specs)):
        questions: list[PaperQuestion] = []
        for q in page:
            if q.kind == EQUALITY:
                for text, options in EQUALITY_QUESTIONS.values():
                    number += 1
                    questions.append(
                        PaperQuestion(
                            number, text, "", False, [label for _, label in options], False, 0, ""
                        )
                    )
                continue
            number += 1
            condition = ""
            if q.show_if_key and q.show_if_key in by_key:
                trigger = by_key[q.show_if_key]
                labels = dict(trigger.choices())
                answers = " or ".join(f"‘{labels.get(v, v)}’" for v in q.show_if_values)
                condition = f"Answer this only if you answered {answers} to ‘{trigger.text}’."
            boxes = (
                [label for _, label in q.choices()]
                if q.kind in KINDS_WITH_OPTIONS
                or q.kind
                in (
                    LIKERT,
                    YES_NO,
                    RESPONDENT_TYPE,
                )
                else []
            )
            limit = q.limit()
            lines = 0
            if not boxes:
                lines = max(2, min(24, (limit or 100) // 90)) if limit else 2
            hint = hints.get(q.key, "")
            if q.kind == RESPONDENT_TYPE:
                hint = (hint + " If on behalf of an organisation, write its name:").strip()
                lines = 1
            if q.kind == DATE:
                hint = (hint + " For example, 27 3 2026.").strip()
            questions.append(
                PaperQuestion(
                    number=number,
                    text=q.text,
                    hint=hint,
                    required=q.required,
                    boxes=boxes,
                    many=q.kind == MULTIPLE_CHOICE,
                    lines=lines,
                    condition=condition,
                    ranking=q.kind == RANKING,
                )
            )
        out.append(PaperPage(page_titles[index] if index < len(page_titles) else "", questions))
    return out
