"""Redaction of personal data: typed placeholders such as [NAME] and [PHONE].

Structured identifiers are found with bounded, possessive regular expressions (no
catastrophic backtracking: a hostile 1 MB string is processed in linear time). NHS
numbers are checked with the modulus 11 check digit. Names are found without a model:
title and role cues ("Dr", "Nurse"), relation cues ("my husband"), verbs ("called",
"thanks to"), and a shipped list of common UK forenames and surnames, with guards for
words that are also names of wards, places, months and everyday words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["PLACEHOLDERS", "PiiSpan", "find_pii", "nhs_number_is_valid", "redact", "redact_many"]

PLACEHOLDERS = {
    "EMAIL": "[EMAIL]",
    "URL": "[URL]",
    "NHS_NUMBER": "[NHS_NUMBER]",
    "PHONE": "[PHONE]",
    "POSTCODE": "[POSTCODE]",
    "DOB": "[DOB]",
    "NAME": "[NAME]",
}
_PRIORITY = {t: i for i, t in enumerate(PLACEHOLDERS)}


@dataclass(frozen=True, slots=True)
class PiiSpan:
    start: int
    end: int
    type: str
    text: str


# --- structured identifiers -------------------------------------------------------------

_EMAIL = re.compile(
    # each dot of the domain must be followed by a label: a full stop after the address
    # ("write to jo@example.com.") ends the sentence, not the domain
    r"(?<![\w.+-])[\w.+'-]{1,64}+@(?:[A-Za-z0-9-]{1,63}+\.(?=[A-Za-z0-9-])){1,8}+[A-Za-z]{2,24}+"
    r"(?![\w-])"
)
_URL = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'()\[\]]{1,2000}+"
    r"|\b(?:[A-Za-z0-9][A-Za-z0-9-]{0,62}+\.){1,6}+"
    r"(?:co\.uk|org\.uk|nhs\.uk|gov\.uk|ac\.uk|nhs\.net|com|org|net|info|io|uk)\b"
    r"(?:/[^\s<>\"'()\[\]]{0,2000}+)?"
)
_TRAILING_PUNCT = ".,;:!?)"
# 10 digits as 3-3-4 (spaces or hyphens) or run together.
_NHS = re.compile(r"(?<![\d+])(\d{3})[ -]?+(\d{3})[ -]?+(\d{4})(?![\d])")
_NHS_CUE = re.compile(r"(?i)\bnhs\s*(?:no|num|number|#)\b")
# UK phone numbers: +44 or 0, then 9 or 10 more digits in groups.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+44[ -]?+(?:\(0\)[ -]?+)?+|0044[ -]?+|\(0|0)"
    r"\d(?:[ ()-]{0,2}+\d){8,9}+(?!\d)"
)
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Za-z]{1,2}+\d[A-Za-z\d]?+|GIR)[ ]?+\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}"
    r"(?![A-Za-z0-9])"
)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}"
    r"|(?:19|20)\d{2}-\d{2}-\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTHS}\.?,?\s+(?:19|20)\d{{2}}"
    rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}})"
)
_DOB = re.compile(
    r"(?i)\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on)?|b\.)"
    r"(?:\s+(?:is|was|of))?[\s:,-]{0,4}+"
    rf"({_DATE})(?![\d])"
)


_DIGIT = re.compile(r"\d")


def nhs_number_is_valid(number: str) -> bool:
    """True when the 10 digits pass the NHS modulus 11 check."""
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 10:
        return False
    total = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == digits[9]


# --- names ------------------------------------------------------------------------------


def _load(name: str) -> frozenset[str]:
    text = resources.files("heard_analysis").joinpath("data", name).read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


@lru_cache(maxsize=1)
def _lists() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    return (
        _load("forenames.txt"),
        _load("ambiguous_forenames.txt"),
        _load("surnames.txt"),
        _load("ambiguous_surnames.txt"),
    )


# Capitalised words that are never names here: NHS places and roles, calendar, geography.
_NOT_NAMES = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "so",
        "i",
        "i'm",
        "i've",
        "i'd",
        "i'll",
        "me",
        "my",
        "we",
        "our",
        "us",
        "you",
        "your",
        "he",
        "she",
        "they",
        "it",
        "his",
        "her",
        "their",
        "them",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "how",
        "all",
        "any",
        "some",
        "no",
        "not",
        "nothing",
        "none",
        "very",
        "more",
        "most",
        "much",
        "many",
        "just",
        "also",
        "only",
        "even",
        "still",
        "yes",
        "ok",
        "okay",
        "thanks",
        "thank",
        "please",
        "dear",
        "hi",
        "hello",
        "well",
        "great",
        "good",
        "excellent",
        "lovely",
        "brilliant",
        "amazing",
        "fantastic",
        "fab",
        "wonderful",
        "nice",
        "kind",
        "helpful",
        "friendly",
        "polite",
        "poor",
        "bad",
        "terrible",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "being",
        "had",
        "has",
        "have",
        "do",
        "did",
        "does",
        "done",
        "can",
        "could",
        "would",
        "should",
        "will",
        "may",
        "might",
        "must",
        "shall",
        "on",
        "in",
        "at",
        "to",
        "of",
        "for",
        "from",
        "by",
        "with",
        "without",
        "about",
        "after",
        "before",
        "over",
        "under",
        "into",
        "onto",
        "again",
        "then",
        "than",
        "as",
        "because",
        "since",
        "while",
        "until",
        "though",
        "although",
        "however",
        "ward",
        "wards",
        "unit",
        "units",
        "hospital",
        "hospitals",
        "department",
        "dept",
        "team",
        "teams",
        "staff",
        "service",
        "services",
        "nurse",
        "nurses",
        "doctor",
        "doctors",
        "dr",
        "drs",
        "sister",
        "matron",
        "midwife",
        "midwives",
        "consultant",
        "consultants",
        "surgeon",
        "surgeons",
        "physio",
        "physios",
        "receptionist",
        "receptionists",
        "reception",
        "porter",
        "porters",
        "paramedic",
        "paramedics",
        "pharmacist",
        "pharmacy",
        "clinic",
        "clinics",
        "centre",
        "center",
        "surgery",
        "practice",
        "trust",
        "nhs",
        "gp",
        "gps",
        "a&e",
        "ae",
        "ed",
        "ae&e",
        "icu",
        "itu",
        "hdu",
        "cdu",
        "amu",
        "mau",
        "sau",
        "opd",
        "ct",
        "mri",
        "x-ray",
        "xray",
        "scan",
        "ultrasound",
        "ecg",
        "covid",
        "covid-19",
        "corona",
        "coronavirus",
        "ambulance",
        "emergency",
        "outpatients",
        "outpatient",
        "inpatient",
        "maternity",
        "children's",
        "childrens",
        "paediatric",
        "pediatric",
        "theatre",
        "theatres",
        "recovery",
        "day",
        "discharge",
        "pals",
        "cqc",
        "ffe",
        "fft",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "weekend",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "christmas",
        "easter",
        "xmas",
        "new",
        "year",
        "bank",
        "holiday",
        "england",
        "english",
        "scotland",
        "scottish",
        "wales",
        "welsh",
        "ireland",
        "irish",
        "britain",
        "british",
        "uk",
        "gb",
        "london",
        "nottingham",
        "nottinghamshire",
        "derby",
        "derbyshire",
        "leicester",
        "leicestershire",
        "lincoln",
        "lincolnshire",
        "sheffield",
        "leeds",
        "manchester",
        "birmingham",
        "bristol",
        "liverpool",
        "newcastle",
        "york",
        "norfolk",
        "norwich",
        "suffolk",
        "essex",
        "kent",
        "surrey",
        "sussex",
        "devon",
        "cornwall",
        "cumbria",
        "yorkshire",
        "lancashire",
        "cheshire",
        "mansfield",
        "bassetlaw",
        "ashfield",
        "newark",
        "worksop",
        "queen",
        "queens",
        "king",
        "kings",
        "royal",
        "st",
        "saint",
        "princess",
        "prince",
        "general",
        "county",
        "city",
        "district",
        "community",
        "mental",
        "health",
        "healthcare",
        "care",
        "medical",
        "hall",
        "house",
        "road",
        "street",
        "lane",
        "avenue",
        "building",
        "wing",
        "block",
        "suite",
        "floor",
        "level",
        "room",
        "bay",
        "bed",
        "beds",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "prof",
        "professor",
        "sir",
        "lady",
        "lord",
        "god",
        "jesus",
        "lord",
        "allah",
        "christ",
        "manager",
        "manger",
        "indeed",
        "cooking",
        "english",
        "covid19",
        "zoom",
        "teams",
        "whatsapp",
        "facebook",
        "google",
        "internet",
        "online",
        "website",
        "email",
    ]
)

_MONTH_WORDS = frozenset(["january", "february", "march", "april", "may", "june", "july", "august"])

_TITLE = (
    r"(?:(?i:staff|charge|senior|student|ward)\s+(?i:nurse|sister|manager)|Dr|Doctor|Prof|Professor|Mr|Mrs|Ms|Miss|Mx|Nurse|Sister|Matron|Midwife|Sr|"
    r"Consultant|Surgeon|Staff\s+Nurse|Charge\s+Nurse|Senior\s+Nurse|Paramedic|Physio|"
    r"Physiotherapist|Receptionist|Porter|HCA|Healthcare\s+Assistant|Pharmacist|Health\s+Visitor|"
    r"Therapist|OT|SALT|Dietitian|Radiographer|Sonographer|Registrar|Student\s+Nurse|Auntie|Uncle|"
    r"Nan|Nana|Grandma|Grandad|Granny|Father|Rev|Reverend)"
)
_RELATION = (
    r"(?:husband|wife|son|daughter|mum|mom|mother|dad|father|partner|brother|sister|"
    r"grandson|granddaughter|grandmother|grandfather|grandma|grandad|granny|gran|nan|nanna|"
    r"nana|aunt|auntie|uncle|nephew|niece|cousin|friend|boyfriend|girlfriend|fiance|fiancee|"
    r"baby|child|carer|neighbour|colleague|stepson|stepdaughter|father-in-law|mother-in-law|"
    r"son-in-law|daughter-in-law|twins?|kids?|children|boy|girl|patient|nurse|doctor|midwife|"
    r"consultant|surgeon|receptionist|physio|paramedic|gp|hca|porter|cleaner|student)"
)
_VERB_CUE = (
    r"(?:i\s+am|i'm|my\s+name\s+is|this\s+is|called|named|name\s+(?:is|was)|names\s+(?:are|were)|known\s+as|thanks?\s+(?:you\s+)?to|"
    r"thank\s+you|thanks|ask(?:ed)?\s+for|spoke\s+(?:to|with)|seen\s+by|saw|"
    r"looked\s+after\s+by|cared\s+for\s+by|treated\s+by|helped\s+by|"
    r"shout\s+out\s+to|praise\s+for|well\s+done|credit\s+to|signed|regards)"
)
_NAME_TOKEN = (
    r"(?:O['’][A-Z][a-z]++|Mc[A-Z][a-z]++|Mac[A-Z][a-z]++|[A-Z][a-z]*+(?:['’-][A-Za-z][a-z]*+)?+)"  # noqa: S105
)
_PARTICLE = r"(?:van|von|de|der|da|del|di|la|le|al|el|bin|ben|ibn)"
# A cue, then one to three capitalised tokens (the name).
_CUE_NAME = re.compile(
    rf"\b(?:(?P<title>{_TITLE})\.?|(?i:(?:my|our|his|her|their|the|a)\s+(?P<rel>{_RELATION}))[ ,]*"
    rf"|(?i:(?P<verb>{_VERB_CUE})),?)\s+"
    rf"(?P<name>{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_TOKEN}){{0,2}}+)"
)
_PARTICLES = frozenset(
    ["van", "von", "de", "der", "da", "del", "di", "la", "le", "al", "el", "bin", "ben", "ibn"]
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{0,40}+")
# A word after a capitalised name that makes it the name of a place ("John Radcliffe
# Hospital", "Chesterfield Royal", "Florence Nightingale ward"), not of a person. Lower case
# only for the plain place nouns, and not "ward manager/sister" ("thanks to Jo ward manager").
_PLACE_AFTER = re.compile(
    r"\s*(?:(?:Hospital|Ward|Unit|House|Centre|Center|Wing|Building|Suite|Street|Road|Lane|"
    r"Avenue|Clinic|Surgery|Practice|Court|Park|Medical|Health|Day|Hospice|Infirmary|Royal|"
    r"General|Community|Memorial|Mill)\b"
    r"|(?:hospital|wing|unit|hospice|surgery|practice|clinic|centre|center|infirmary|"
    r"ward(?!\s+(?:manager|sister|clerk|nurse|host|hostess|round|matron)\b))\b)"
)
# Endings of English place names ("Thorneywood", "Highfield"): an unknown word with one,
# after a thanking verb, is more likely a place than a person. Not used after a title or
# relation ("Dr Ashford", "my son Bradbury"), nor for words in the name lists.
_PLACE_SUFFIX = re.compile(
    r"(?:wood|field|ford|mill|bury|borough|worth|bridge|brook|dale|hurst|stead|minster|"
    r"chester|caster|shire|gate)$"
)
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:St|Saint|Queen|King|Princess|Prince|Royal|Lady|Sir|Ward|ward)\.?\s+)$"
)


def _is_name_word(word: str, strong_cue: bool) -> bool:
    """Could this capitalised token be (part of) a personal name?"""
    low = word.lower().replace("’", "'")
    fore, amb_fore, sur, amb_sur = _lists()
    if strong_cue and low in amb_fore and low not in _MONTH_WORDS:
        return True
    if low in _NOT_NAMES or (low.endswith("'s") and low[:-2] in _NOT_NAMES):
        return False  # "King's Mill", "Queen's Medical Centre"
    if low in fore or low in sur or low in amb_fore or low in amb_sur:
        return True
    # An unknown capitalised word right after a strong cue is taken as a name.
    return strong_cue and len(low) > 1 and not word.isupper()


def _looks_like_place(word: str) -> bool:
    """An unknown word with the ending of a place name ("Thorneywood")."""
    low = word.lower().replace("’", "'")
    fore, amb_fore, sur, amb_sur = _lists()
    if low in fore or low in amb_fore or low in sur or low in amb_sur:
        return False
    return len(low) > 5 and _PLACE_SUFFIX.search(low) is not None


def _cue_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    while (m := _CUE_NAME.search(text, pos)) is not None:
        start = m.start("name")
        pos = start  # names can themselves be followed by a cue: rescan from here
        kept_end = -1
        words: list[str] = []
        for tok in _WORD.finditer(text, start, m.end("name")):
            w = tok.group()
            if w.lower() in _PARTICLES:
                continue
            if not _is_name_word(w, strong_cue=True):
                break
            kept_end = tok.end()
            words.append(w)
        if kept_end <= start or _PLACE_AFTER.match(text, kept_end):
            continue
        if m.group("verb") and all(_looks_like_place(w) for w in words):
            continue  # "thanks to Thorneywood"
        spans.append((start, kept_end))
    return spans


def _gazetteer_spans(text: str) -> list[tuple[int, int]]:
    fore, amb_fore, sur, amb_sur = _lists()
    spans: list[tuple[int, int]] = []
    words = list(_WORD.finditer(text))
    i = 0
    n = len(words)
    while i < n:
        m = words[i]
        w = m.group()
        if not w[0].isupper() or (w.isupper() and len(w) > 1 and not text.isupper()):
            i += 1
            continue
        low = w.lower()
        if low in fore and low not in _NOT_NAMES:
            if _PLACE_BEFORE.search(text, max(0, m.start() - 12), m.start()) or _PLACE_AFTER.match(
                text, m.end()
            ):
                i += 1
                continue
            end = m.end()
            j = i + 1
            while j < n and j <= i + 2:
                nxt = words[j]
                gap = text[end : nxt.start()]
                if gap not in {" ", " - "} or not nxt.group()[0].isupper():
                    break
                nlow = nxt.group().lower()
                if nlow in _NOT_NAMES or _PLACE_AFTER.match(text, nxt.start()):
                    break
                end = nxt.end()
                j += 1
            if not _PLACE_AFTER.match(text, end):  # "John Radcliffe Hospital"
                spans.append((m.start(), end))
            i = j
            continue
        if low in amb_fore and i + 1 < n:
            nxt = words[i + 1]
            nlow = nxt.group().lower()
            if (
                text[m.end() : nxt.start()] == " "
                and nxt.group()[0].isupper()
                and (nlow in sur or nlow in amb_sur)
                and not _PLACE_AFTER.match(text, nxt.end())
            ):
                spans.append((m.start(), nxt.end()))
                i += 2
                continue
        if (
            low in sur
            and low not in amb_sur
            and low not in fore
            and low not in _NOT_NAMES
            and not _PLACE_AFTER.match(text, m.end())  # "Wells Road"
        ):
            spans.append((m.start(), m.end()))
        i += 1
    return spans


_PAIR = re.compile(rf"\b({_NAME_TOKEN})\s+(?:and|&)\s+({_NAME_TOKEN})\b")


def _pair_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """ "Sarah and Ffion": a capitalised word joined by "and" to a found name is a name."""
    extra: list[tuple[int, int]] = []
    for m in _PAIR.finditer(text):
        a = (m.start(1), m.end(1))
        b = (m.start(2), m.end(2))
        a_in = any(s <= a[0] and a[1] <= e for s, e in spans)
        b_in = any(s <= b[0] and b[1] <= e for s, e in spans)
        if a_in and not b_in and _is_name_word(m.group(2), strong_cue=True):
            extra.append(b)
        elif b_in and not a_in and _is_name_word(m.group(1), strong_cue=True):
            extra.append(a)
    return extra


def _name_spans(text: str) -> list[tuple[int, int]]:
    spans = _cue_spans(text) + _gazetteer_spans(text)
    if not spans:
        return spans
    if " and " in text or "&" in text:
        spans += _pair_spans(text, spans)
    # Every other occurrence of a name word found by a cue is the same person.
    found = {
        w.group()
        for s, e in spans
        for w in _WORD.finditer(text, s, e)
        if w.group().lower() not in _NOT_NAMES and len(w.group()) > 2
    }
    if found:
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(found))) + r")\b")
        spans.extend((m.start(), m.end()) for m in pattern.finditer(text))
    return spans


# --- assembling -------------------------------------------------------------------------


def _strip_url(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1] in _TRAILING_PUNCT:
        e -= 1
    return e


def find_pii(text: str) -> list[PiiSpan]:
    """All personal-data spans in ``text``, non-overlapping, in order."""
    if not text:
        return []
    cands: list[tuple[int, int, str]] = []
    if "@" in text:
        cands += [(m.start(), m.end(), "EMAIL") for m in _EMAIL.finditer(text)]
    if "." in text or "/" in text:
        for m in _URL.finditer(text):
            e = _strip_url(text, m.start(), m.end())
            cands.append((m.start(), e, "URL"))
    has_digit = _DIGIT.search(text) is not None
    if has_digit:
        for m in _NHS.finditer(text):
            digits = m.group(1) + m.group(2) + m.group(3)
            cue = _NHS_CUE.search(text, max(0, m.start() - 25), m.start()) is not None
            if nhs_number_is_valid(digits) or cue:
                cands.append((m.start(), m.end(), "NHS_NUMBER"))
        for m in _PHONE.finditer(text):
            s, e = m.start(), m.end()
            if text[s] == "(" and ")" not in text[s:e]:
                s += 1
            cands.append((s, e, "PHONE"))
        for m in _DOB.finditer(text):
            cands.append((m.start(1), m.end(1), "DOB"))
        cands += [(m.start(), m.end(), "POSTCODE") for m in _POSTCODE.finditer(text)]
    cands += [(s, e, "NAME") for s, e in _name_spans(text)]
    # Resolve overlaps: higher-priority type first, then longer span.
    cands.sort(key=lambda c: (_PRIORITY[c[2]], -(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int, str]] = []
    for s, e, t in cands:
        if e <= s:
            continue
        if any(s < te and ts < e for ts, te, _ in taken):
            continue
        taken.append((s, e, t))
    taken.sort()
    return [PiiSpan(s, e, t, text[s:e]) for s, e, t in taken]


def redact(text: str) -> str:
    """Replace personal data in ``text`` by typed placeholders such as [NAME]."""
    spans = find_pii(text)
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for sp in spans:
        out.append(text[pos : sp.start])
        out.append(PLACEHOLDERS[sp.type])
        pos = sp.end
    out.append(text[pos:])
    return "".join(out)


def redact_many(
    texts: Iterable[str], progress: Callable[[int, int], None] | None = None
) -> list[str]:
    items = list(texts)
    total = len(items)
    out: list[str] = []
    step = max(1, total // 100)
    for i, t in enumerate(items):
        out.append(redact(t) if t else t)
        if progress is not None and (i + 1) % step == 0:
            progress(i + 1, total)
    if progress is not None:
        progress(total, total)
    return out
