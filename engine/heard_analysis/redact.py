"""Redaction of personal data: typed placeholders such as [NAME], [PHONE], [ADDRESS].

What the consent box promises ("we remove names, contact details and health details"):
identifiers ([NAME], [EMAIL], [PHONE], [NHS_NUMBER], [POSTCODE], [DOB], [URL]), addresses
([ADDRESS]: a house or flat number and street, with or without town and postcode), ages
tied to a person ([AGE]), health conditions, disabilities and treatments tied to a person
([HEALTH]: "I have [HEALTH]", "my husband's [HEALTH]"; "the diabetes clinic" is a service
and stays), third parties ([PERSON]: "my mum", "our neighbour") and roles or places that
identify someone in a small community ([ROLE]: "I run [ROLE]" for "the bakery on the
market square", "the only pharmacist in Holt").

Structured identifiers are found with bounded, possessive regular expressions (no
catastrophic backtracking: a hostile 1 MB string is processed in linear time). NHS
numbers are checked with the modulus 11 check digit. Names are found without a model:
title and role cues ("Dr", "Nurse"), relation cues ("my husband"), verbs ("called",
"thanks to"), and a shipped list of common UK forenames and surnames, with guards for
words that are also names of wards, places, months and everyday words.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["PLACEHOLDERS", "PiiSpan", "find_pii", "nhs_number_is_valid", "redact", "redact_many"]

PLACEHOLDERS = {
    "EMAIL": "[EMAIL]",
    "URL": "[URL]",
    "NHS_NUMBER": "[NHS_NUMBER]",
    "PHONE": "[PHONE]",
    "ADDRESS": "[ADDRESS]",
    "POSTCODE": "[POSTCODE]",
    "DOB": "[DOB]",
    "ROLE": "[ROLE]",
    "AGE": "[AGE]",
    "NAME": "[NAME]",
    "HEALTH": "[HEALTH]",
    "PERSON": "[PERSON]",
}
_PRIORITY = {t: i for i, t in enumerate(PLACEHOLDERS)}


def _words(text: str) -> list[str]:
    return text.split()


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
# An outward code on its own ("NR21", "PE30"): two-letter postcode areas only (one-letter
# areas would take road numbers and vitamins: M25, B12).
_OUTWARD = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2})\d{1,2}[A-Z]?(?![A-Za-z0-9])")
_POSTCODE_AREAS = frozenset(
    _words(
        """AB AL BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
    DY EC EH EN EX FK FY GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY LA LD LE
    LL LN LS LU ME MK ML NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM SA SE SG SK SL SM
    SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB WA WC WD WF WN WR WS WV YO ZE"""
    )
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
    r"(?:\b(?:St|Saint|Queen|King|King['’]s|Kings|Princess|Prince|Royal|Lady|Sir|Ward|ward)\.?\s+)$"
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


# --- addresses, ages, health, third parties, identifying roles ---------------------------


_STREET_KINDS = (
    r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Way|Crescent|Cres|Court|Ct|Place|"
    r"Gardens|Gdns|Terrace|Grove|Hill|Row|Walk|Square|Sq|Mews|Rise|View|Green|Parade|Vale|"
    r"Meadows?|Croft|Fields?|Yard|Wharf|Chase|Gate|Mount|Loke|Common|Park|Drove|Paddock|"
    r"Orchard|Heights|Bank|Cottages|Villas|Estate)"
)
_STREET_WORD = r"(?:[A-Z][A-Za-z'’]{1,30}+|[a-z][a-z'’]{2,30}+)"
# Town words after a street: capitalised, not a word that starts the next clause.
_TOWN = r"(?:[A-Z][a-z'’]{2,30}+(?:[ -](?:on|upon|next|the|by|le|St)?[ -]?[A-Z][a-z'’]{2,30}+)?)"
_POSTCODE_TEXT = r"(?:[A-Za-z]{1,2}\d[A-Za-z\d]?[ ]?\d[A-Za-z]{2})"
_ADDRESS = re.compile(
    r"(?i:\b(?:flat|apartment|apt|unit|no\.?|number)\s+\d{1,4}[a-z]?,?\s+)?"
    r"(?:\b\d{1,4}[A-Za-z]?(?:-\d{1,4})?,?\s+)"
    rf"(?P<street>(?:{_STREET_WORD}\s+){{0,3}}(?i:{_STREET_KINDS}))\b"
    rf"(?P<rest>(?:,?[ ]+(?!(?i:and|but|in|on|at|is|was|the|for|to|with)\b){_TOWN}){{0,2}}+"
    rf"(?:,?\s+{_POSTCODE_TEXT}(?![A-Za-z0-9]))?"
    # a town written in lower case, last in its sentence ("22 station road, holt.")
    r"(?:,\s*[a-z]{3,20}+(?=\s*(?:[.!?;\n]|$)))?)"
)
_FLAT = re.compile(
    r"(?i:\b(?:flat|apartment|apt)\s+\d{1,4}[a-z]?,?\s+)"
    rf"(?:[A-Z][A-Za-z'’]+\s+){{0,3}}(?i:{_STREET_KINDS}|House|Lodge|Mansions|Tower|Point)\b"
    rf"(?:,?[ ]+{_TOWN}){{0,2}}+(?:,?\s+{_POSTCODE_TEXT}(?![A-Za-z0-9]))?"
)
# "61 Bracondale, Norwich NR1 2AT", "7 The Paddocks, Little Snoring": a number and a name
# that is not a street word, then a town (and a postcode, or the end of the sentence)
_NUMBER_NAME_TOWN = re.compile(
    r"\b\d{1,4}[A-Za-z]?,?\s+(?:The\s+)?(?:[A-Z][a-z'’]+\s+){0,2}[A-Z][a-z'’]+"
    rf"(?:,\s+(?:[A-Z][a-z'’]+\s+)?(?i:{_STREET_KINDS}))?"
    rf",\s+{_TOWN}(?:,?\s+{_TOWN})?(?:(?:,?\s+{_POSTCODE_TEXT}(?![A-Za-z0-9]))|(?=\s*[.!?;\n]|$))"
)
# "Rose Cottage, Back Lane, ...", "Apartment 4, The Maltings, Station Road, Diss, IP22 4HN"
_HOUSE_NAME = re.compile(
    r"(?:\b(?i:flat|apartment|apt|unit)\s+\d{1,4}[a-z]?,\s+(?:The\s+)?[A-Z][a-z'’]+"
    r"|\b(?:[A-Z][a-z'’]+\s+){1,2}(?:Cottage|Farm|House|Lodge|Barn|Mill|Hall|Grange|Manor|"
    r"Villa|Bungalow|Farmhouse|Rectory|Vicarage|Barns|Cottages))"
    rf",\s+(?:[A-Z][a-z'’]+\s+){{1,3}}(?i:{_STREET_KINDS})\b"
    rf"(?:,?[ ]+{_TOWN}){{0,3}}(?:,?\s+{_POSTCODE_TEXT}(?![A-Za-z0-9]))?"
)
_LIVE_ON = re.compile(
    r"(?i:\b(?:i|we|he|she|they|mum|dad)\s+(?:still\s+)?(?:live|lives|lived|living)\s+(?:on|in|at)\s+)"
    rf"(?P<street>(?:[A-Z][A-Za-z'’]+\s+){{1,3}}(?i:{_STREET_KINDS}))\b"
)
# Words that make "10 minute walk" or "3 bus routes" not an address.
_NOT_STREET_WORDS = frozenset(
    _words(
        "minute minutes min mins hour hours hr hrs mile miles day days week weeks month months "
        "year years time times bus buses route routes pound pounds people patients beds car cars "
        "floor floors storey stage stages step steps mile-long odd more or of and the"
    )
)

_NUMBER_CUE = re.compile(r"(?i)\b(?:no\.?|number)\s*$")
_NOT_A_HOUSE_NUMBER = re.compile(
    r"(?i)\b(?:the|ward|bay|bed|room|route|bus|platform|gate|level|floor|junction|exit|"
    r"page|step|stage|about|over|under|only|every|first|last)\s+$"
)
_AGE_WORDS = r"(?:[- ]?(?:years?|yrs?)[- ]?old|[- ]?(?:year|yr)[- ]old|yo\b)"
_AGE = re.compile(
    r"(?i:\b(?:i'?m|i\s+am|i\s+was|i\s+turned|she'?s|he'?s|she\s+is|he\s+is|she\s+was|he\s+was|"
    r"who\s+is|who'?s|who\s+was|aged|age|turned|turning|now)\s+)"
    rf"(?P<age>(?:1[01]\d|[1-9]?\d)(?:{_AGE_WORDS})?)"
    r"(?![\d:.,]\d|\s*(?:%|am\b|pm\b|p\b|minutes|mins|hours|hrs|days|weeks|months|miles|times|"
    r"pounds|quid|o'clock|in\s+the\b|on\s+the\b|of\b|out\s+of|stone|kg|st\b))"
)
_AGE_PLAIN = re.compile(rf"(?i)\b(?:1[01]\d|[1-9]?\d)(?:{_AGE_WORDS})(?![\w-])")
_MINE = r"(?:my|our|me|mi)"
_KIN = (
    r"(?:husband|hubby|wife|partner|spouse|mum|mam|mom|mummy|mother|dad|daddy|father|parents|"
    r"son|sons|daughter|daughters|brother|brothers|sister|sisters|sibling|siblings|"
    r"grandson|granddaughter|grandchild|grandchildren|grandkids|grandmother|grandfather|"
    r"grandparents|grandma|grandad|granddad|grandpa|granny|gran|nan|nanna|nana|aunt|auntie|"
    r"aunty|uncle|nephew|niece|cousin|friend|best\s+friend|boyfriend|girlfriend|fianc[eé]e?|"
    r"baby|babies|child|children|kids?|toddler|lad|lass|boy|girl|twins?|neighbour|neighbours|"
    r"neighbor|neighbors|carer|stepson|stepdaughter|stepmum|stepdad|stepfather|stepmother|"
    r"(?:mother|father|son|daughter|brother|sister)[- ]in[- ]law|family\s+member|flatmate|"
    r"housemate|lodger|landlord|landlady|tenant|other\s+half|youngest|eldest|little\s+one|"
    r"ex(?:-(?:husband|wife|partner|boyfriend|girlfriend))?|mate|mates|pal|bestie)"
)
_KIN_QUALIFIER = (
    r"(?:late|elderly|old|older|younger|youngest|eldest|oldest|little|baby|new|teenage|adult|"
    r"step|two|three|four|disabled|poorly|frail|autistic|disabled|deaf|blind|dear|"
    r"\d{1,2}[- ]?(?:year|yr)[- ]old|\d{1,2}[- ]?(?:month|week)[- ]old)"
)
_THIRD_PARTY = re.compile(
    rf"(?i)\b{_MINE}\s+(?:{_KIN_QUALIFIER}\s+){{0,2}}+{_KIN}"
    rf"(?:s(?=\s))?(?:['’]s\s+(?:{_KIN_QUALIFIER}\s+)?{_KIN}\b)?(?![\w-])"
)
# "Mum", "Gran" on their own, capitalised in the middle of a sentence, are a person.
_KIN_AS_NAME = re.compile(
    r"(?:(?<=[a-z,;] )|(?<=[.!?] )|(?<=[.!?]\n)|^)(?:Mum|Mam|Mom|Mummy|Dad|Daddy|Gran|Granny|Nan|Nanna|Nana|Grandma|Grandad|"
    r"Granddad|Grandpa)\b"
)
# Conditions, disabilities and the treatments that disclose them.
_CONDITION = (
    r"(?:dementia|alzheimer['’]?s|parkinson['’]?s|(?:vascular|early[- ]onset)\s+dementia|"
    r"(?:breast|prostate|bowel|lung|skin|ovarian|cervical|pancreatic|throat|brain|blood|"
    r"liver|kidney|bladder|stomach|oesophageal|terminal)\s+cancer|cancer|leukaemia|leukemia|"
    r"lymphoma|myeloma|(?:brain\s+)?tumou?r|(?:type\s*[12]\s+)?diabetes|diabetic|epilepsy|"
    r"epileptic|seizures|asthma|asthmatic|copd|emphysema|(?:rheumatoid\s+|osteo)?arthritis|"
    r"osteoporosis|fibromyalgia|multiple\s+sclerosis|\bms\b|motor\s+neurone\s+disease|\bmnd\b|"
    r"cerebral\s+palsy|down['’]?s(?:\s+syndrome)?|autism|autistic|asd|adhd|dyslexi[ac]|"
    r"dyspraxia|learning\s+disabilit(?:y|ies)|learning\s+difficult(?:y|ies)|"
    r"(?:post[- ]?natal\s+|severe\s+|clinical\s+)?depression|depressed|anxiety|panic\s+attacks|"
    r"ptsd|ocd|bipolar|schizophreni[ac]|psychosis|personality\s+disorder|eating\s+disorder|"
    r"anorexia|bulimia|self[- ]harm(?:ing)?|suicidal(?:\s+thoughts)?|(?:a\s+)?stroke|"
    r"(?:a\s+)?heart\s+attack|heart\s+failure|heart\s+condition|angina|atrial\s+fibrillation|"
    r"high\s+blood\s+pressure|hypertension|kidney\s+(?:failure|disease)|ckd|dialysis|"
    r"liver\s+disease|cirrhosis|hepatitis(?:\s+[abc])?|\bhiv\b|crohn['’]?s|colitis|\bibs\b|"
    r"coeliac|lupus|sickle[- ]cell|thalassaemia|cystic\s+fibrosis|long\s+covid|\bme\b/?cfs|"
    r"chronic\s+fatigue(?:\s+syndrome)?|chronic\s+pain|migraines?|tinnitus|glaucoma|"
    r"macular\s+degeneration|cataracts?|registered\s+blind|severely\s+sight\s+impaired|"
    r"partially\s+sighted|visually\s+impaired|sight\s+loss|blind|deaf(?:ness)?|"
    r"hard\s+of\s+hearing|hearing\s+loss|hearing\s+aids?|wheelchair\s+user|wheelchair|"
    r"mobility\s+scooter|walking\s+frame|zimmer(?:\s+frame)?|amputee|amputation|paralysed|"
    r"paraplegic|tetraplegic|disabled|(?:a\s+)?disability|incontinen(?:t|ce)|catheter|"
    r"(?:a\s+)?stoma|colostomy|ileostomy|pregnant|pregnancy|miscarriage|stillbirth|\bivf\b|"
    r"endometriosis|menopause|\bhrt\b|chemo(?:therapy)?|radiotherapy|"
    r"(?:hip|knee|heart|back|cataract|bypass)\s+(?:op|operation|replacement|surgery)|"
    r"(?:hip|knee)\s+replacements?|bypass|transplant|pacemaker|insulin|methadone|"
    r"(?:drug|alcohol)\s+(?:addiction|problem)|addiction|alcoholi[cs]m?|alcoholic|"
    r"broken\s+(?:hip|leg|arm|wrist|ankle|neck|back)|fractured\s+\w+|sepsis|pneumonia|"
    r"mastectomy|hysterectomy|frail(?:ty)?|bed[- ]?bound|housebound|terminally\s+ill|"
    r"terminal\s+illness|end[- ]of[- ]life|palliative|mental\s+health\s+(?:problems|issues|"
    r"condition|crisis)|(?:a\s+)?breakdown|sight\s+problems|memory\s+problems|"
    r"(?:a\s+)?(?:long[- ]term|chronic)\s+(?:condition|illness)|(?:a\s+)?learning\s+disabled|"
    r"covid|on\s+oxygen|oxygen|(?:leg\s+)?ulcers?|scoliosis|hernia|allerg(?:y|ies|ic)(?:\s+to\s+\w+)?|"
    r"meningitis|seizure|panic\s+attack|(?:rare\s+)?genetic\s+(?:condition|disorder)|"
    r"psychotic(?:\s+episode)?|detached\s+retina|cleft\s+(?:lip|palate)|sectioned|lithium|"
    r"(?:high\s+|low\s+)?blood\s+pressure|strokes|(?:a\s+)?lump|gall\s?bladder(?:\s+out)?|"
    r"hypothermi[ac]|sciatica|shingles|gout|anaemi[ac]|thyroid|vertigo|dementia)"
)
_CONDITION_RE = re.compile(rf"(?i)\b{_CONDITION}(?![\w-])")
# The words a condition can start with: the pattern is tried only where one stands (a large
# alternation tried at every character of a long text is slow).
_CONDITION_FIRST = frozenset(
    _words("""dementia alzheimer's alzheimers alzheimer parkinson's parkinsons parkinson vascular early
    breast prostate bowel lung skin ovarian cervical pancreatic throat brain blood liver kidney
    bladder stomach oesophageal terminal cancer leukaemia leukemia lymphoma myeloma tumour tumor
    type diabetes diabetic epilepsy epileptic seizures asthma asthmatic copd emphysema rheumatoid
    osteoarthritis arthritis osteoporosis fibromyalgia multiple ms motor mnd cerebral down's downs
    down autism autistic asd adhd dyslexia dyslexic dyspraxia learning post postnatal severe
    clinical depression depressed anxiety panic ptsd ocd bipolar schizophrenia schizophrenic
    psychosis personality eating anorexia bulimia self stroke heart angina atrial high
    hypertension ckd dialysis cirrhosis hepatitis hiv crohn's crohns crohn colitis ibs coeliac
    lupus sickle thalassaemia cystic long chronic migraine migraines tinnitus glaucoma
    macular cataract cataracts registered severely partially visually sight blind deaf deafness
    hard hearing wheelchair mobility walking zimmer amputee amputation paralysed paraplegic
    tetraplegic disabled disability incontinent incontinence catheter stoma colostomy ileostomy
    pregnant pregnancy miscarriage stillbirth ivf endometriosis menopause hrt chemo chemotherapy
    radiotherapy hip knee back bypass transplant pacemaker insulin methadone drug alcohol
    addiction alcoholism alcoholic broken fractured sepsis pneumonia mastectomy hysterectomy frail
    frailty bed bedbound housebound terminally end palliative mental breakdown memory covid
    oxygen leg ulcer ulcers scoliosis hernia allergy allergies allergic meningitis seizure
    rare genetic psychotic detached cleft sectioned lithium low strokes lump gallbladder gall
    hypothermic hypothermia sciatica shingles gout anaemia anaemic thyroid vertigo""")
)
_FIRST_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def _conditions(text: str) -> Iterator[re.Match[str]]:
    for w in _FIRST_WORD.finditer(text):
        low = w.group().lower().replace("’", "'")
        if low in _CONDITION_FIRST or low.split("'")[0] in _CONDITION_FIRST:
            m = _CONDITION_RE.match(text, w.start())
            if m is not None:
                yield m


# After the condition: a service, not a person's condition ("the diabetes clinic").
_SERVICE_AFTER = re.compile(
    r"(?i)\s*(?:clinic|clinics|unit|ward|wards|service|services|team|teams|centre|center|"
    r"department|nurse|nurses|specialist|specialists|consultant|screening|pathway|support\s+group|"
    r"group|groups|charity|awareness|patients|sufferers|care|cafe|café|friendly|access|"
    r"parking|bay|bays|spaces?|toilet|toilets|ramp|lift|research|medication\s+review|"
    r"vaccine|vaccination|jab|booster|tests?|testing|rules|restrictions|pandemic|lockdown)\b"
)
# Before the condition, word by word (sets, not patterns: a long text can hold many
# conditions): who has it, or people in general ("people with dementia").
_PERSONAL = frozenset(
    _words("""i i'm im i've ive i'd me my myself mine we we're we've our us he he's she she's his her
    him hers they're mi""")
)
_KIN_WORDS = frozenset(
    _words("""husband hubby wife partner spouse mum mam mom mummy mother dad daddy father son sons
    daughter daughters brother brothers sister sisters grandson granddaughter grandmother
    grandfather grandma grandad granddad grandpa granny gran nan nanna nana aunt auntie aunty
    uncle nephew niece cousin friend boyfriend girlfriend baby child kid toddler lad lass boy
    girl twins neighbour neighbor carer stepson stepdaughter who""")
)
_CUES = frozenset(
    _words("""diagnosed diagnosis suffering suffers suffered recovering living lives being since""")
)
_GENERIC = frozenset(
    _words("""people patients those anyone anybody someone somebody everyone residents adults men women
    users families folk sufferers many lots others about regarding re whether if""")
)
_LEFT_WORDS = re.compile(r"[A-Za-z][A-Za-z'’]*")


def _held_by_someone(left: str) -> bool:
    """Do the words before a condition (in its sentence) tie it to a person?"""
    words = [w.lower().replace("’", "'") for w in _LEFT_WORDS.findall(left[-90:])]
    words = [w[:-2] if w.endswith("'s") and w[:-2] in _KIN_WORDS else w for w in words]
    last_person = max(
        (i for i, w in enumerate(words) if w in _PERSONAL or w in _KIN_WORDS), default=-1
    )
    last_generic = max((i for i, w in enumerate(words) if w in _GENERIC), default=-1)
    if last_generic > last_person:
        return False  # "I think people with dementia ..."
    near = words[-5:]
    if any(w in _PERSONAL or w in _KIN_WORDS or w in _CUES for w in near):
        return True
    return last_person >= 0


_ROLE_NOUN = (
    r"(?:vicar|priest|rector|curate|minister|imam|rabbi|headteacher|head\s+teacher|headmaster|"
    r"headmistress|head|deputy\s+head|teacher|landlord|landlady|publican|postmaster|"
    r"postmistress|chair(?:man|woman|person)?|mayor|councillor|clerk|parish\s+clerk|owner|"
    r"manager|practice\s+manager|caretaker|churchwarden|warden|verger|farmer|butcher|baker|"
    r"pharmacist|chemist|dentist|vet|optician|gp|doctor|nurse|district\s+nurse|midwife|"
    r"lollipop\s+(?:lady|man)|secretary|treasurer|captain|coach|organist|shopkeeper|"
    r"hairdresser|barber|florist|newsagent|postman|postwoman|driver|bus\s+driver|"
    r"school\s+nurse|receptionist|cook|chef|cleaner|governor|trustee|founder|leader|"
    r"scout\s+leader|brownie\s+leader|volunteer\s+coordinator|coxswain|town\s+crier|crier|"
    r"church\s+warden|school\s+secretary|postman|harbour\s*master|blacksmith|gamekeeper)"
)
_ROLE_PATTERNS = [
    # "the only pharmacist in Walsingham", "the only GP practice in the village"
    re.compile(
        r"(?i:\bthe\s+only\s+)(?:[a-z][\w'’-]*\s+){0,3}?"
        r"(?:[a-z][\w'’-]*)\s+(?i:in|at|on|for|of)\s+"
        r"(?:the\s+)?(?:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}|village|town|street|road|area|"
        r"estate|island|parish|square)"
    ),
    # "(I run / I'm / my husband is) the vicar of St Nicholas in North Walsham",
    # "the bakery on the market square", "the landlord of the Red Lion"
    re.compile(
        r"(?i:\b(?:i|we|he|she|they|mum|dad|my\s+\w+)\s+(?:run|runs|ran|own|owns|owned|manage|"
        r"manages|managed|am|'m|is|'s|was|were|used\s+to\s+run|used\s+to\s+be|work\s+as|"
        r"works\s+as|keep|keeps)\s+)"
        r"(?P<role>(?i:the|a)\s+(?:[a-z][\w'’-]*\s+){0,2}?(?:[a-z][\w'’-]*)"
        r"\s+(?i:of|at|in|on|for|opposite|next\s+to|behind|above|by)\s+"
        r"(?:(?i:the)\s+)?(?:[A-Z][\w'’-]+|[a-z][\w'’-]+)(?:\s+(?:[A-Z][\w'’-]+|square|green|"
        r"street|road|lane|hill|market|village|church|school|pub|inn|arms))*"
        r"(?:,?\s+(?i:in|at)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)?)"
    ),
    # "the vicar of St Nicholas", "head of Holt Primary", "landlord at the Red Lion", "the
    # district councillor for ...", "retired postman from ..."
    re.compile(
        rf"(?i:\b(?:the|a|as|retired|former)\s+)(?:[\w'’-]+\s+){{0,2}}?{_ROLE_NOUN}\s+"
        r"(?i:of|at|in|for|from|outside|near)\s+(?:(?i:the)\s+)?"
        r"[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|of|on|the))*?(?:\s+[A-Z][\w'’-]+)?"
        r"(?:,?\s+(?i:in|at)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)?"
    ),
    # a role there is one of in a place: "the lifeboat coxswain", "the Diss town crier"
    re.compile(
        r"(?i:\bthe\s+)(?:[\w'’-]+\s+){0,2}?(?i:coxswain|town\s+crier|vicar|rector|curate|"
        r"headteacher|head\s+teacher|headmaster|headmistress|postmaster|postmistress|publican|"
        r"lollipop\s+(?:lady|man)|church\s*warden|verger|parish\s+clerk|school\s+secretary|"
        r"mayor|harbour\s*master|blacksmith|gamekeeper)\b"
    ),
    # "the only Polish GP in Thetford"
    re.compile(
        r"(?i:\bthe\s+only\s+)(?:[\w'’-]+\s+){0,3}?[\w'’-]+\s+(?i:in|at|on|for|of)\s+"
        r"(?:the\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}"
    ),
    # "the flat above the newsagent on Market Place", "the house next to the church"
    re.compile(
        r"(?i:\bthe\s+(?:flat|house|cottage|bungalow|farm|farmhouse|shop|caravan|maisonette)\s+"
        r"(?:above|over|behind|next\s+(?:door\s+)?to|opposite|beside|by|near)\s+the\s+)"
        r"[\w'’-]+(?:\s+[\w'’-]+)?"
        r"(?:\s+(?i:on|in|at)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}(?:,\s*[A-Z][\w'’-]+)?)?"
    ),
]


_STREET_KIND_RE = re.compile(rf"(?i)\b{_STREET_KINDS}\b")
# lower-case pieces of the street kinds, looked for first (a substring test is cheap)
_STREET_STEMS = tuple(
    _words("""road rd street st lane ln avenue ave close cl drive dr way crescent cres court ct place
    pl gardens gdns square terrace grove hill row walk sq mews rise view
    green parade vale meadow croft field yard wharf chase gate mount loke common park drove
    paddock orchard heights bank cottages villas estate""")
)


def _address_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    low = text.lower()
    if "," not in text and (
        not any(k in low for k in _STREET_STEMS) or _STREET_KIND_RE.search(text) is None
    ):
        return spans
    for m in _ADDRESS.finditer(text):
        words = [w for w in m.group("street").split()[:-1] if w[0].islower()]
        if any(w in _NOT_STREET_WORDS for w in words):
            continue
        if _NOT_A_HOUSE_NUMBER.search(text, max(0, m.start() - 12), m.start()):
            continue  # "the 2 Church Street shops", "Ward 4", "the 12 bus"
        end = m.end()
        rest = m.group("rest")
        if rest:  # a trailing town word that starts a new clause is not the town
            end = _trim_town(text, m.start("rest"), end)
        start = m.start()
        cue = _NUMBER_CUE.search(text, max(0, start - 8), start)
        spans.append((cue.start() if cue else start, end))
    spans += [(m.start(), _trim_town(text, m.start(), m.end())) for m in _FLAT.finditer(text)]
    for pattern in (_NUMBER_NAME_TOWN, _HOUSE_NAME):
        for m in pattern.finditer(text):
            if not _NOT_A_HOUSE_NUMBER.search(text, max(0, m.start() - 12), m.start()):
                spans.append((m.start(), _trim_town(text, m.start(), m.end())))
    spans += [(m.start("street"), m.end("street")) for m in _LIVE_ON.finditer(text)]
    return spans


def _trim_town(text: str, start: int, end: int) -> int:
    """Cut trailing words that are everyday or cue words, not a town ("12 Mill Lane Dr")."""
    while end > start:
        m = re.search(r"[,\s]+([A-Za-z'’]+)$", text[start:end])
        if m is None or m.group(1).lower() not in _NOT_NAMES:
            break
        end = start + m.start()
    return end


def _age_spans(text: str) -> list[tuple[int, int]]:
    low = text.lower()
    spans: list[tuple[int, int]] = []
    if any(k in low for k in ("i'm", "i am", "i was", "he", "who", "age", "turn", "now", "im ")):
        spans += [(m.start("age"), m.end("age")) for m in _AGE.finditer(text)]
    if "old" in low or "yr" in low or "yo" in low:
        spans += [(m.start(), m.end()) for m in _AGE_PLAIN.finditer(text)]
    if not any(k in low for k in ("my ", "our ", "me ", "mi ")):
        return spans
    # "my dad, 91," / "my mum (88)"
    for m in re.finditer(
        rf"(?i)\b{_MINE}\s+(?:\w+\s+)?{_KIN}\s*(?:,\s*|\(\s*|\s+aged\s+)(1[01]\d|[1-9]\d)\b(?!\s*(?:%|am|pm|minutes|mins|hours|miles))",
        text,
    ):
        spans.append((m.start(1), m.end(1)))
    return spans


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts (looking back 200 characters at most)."""
    floor = max(0, pos - 200)
    cut = max(text.rfind(c, floor, pos) for c in ".!?;\n")
    return cut + 1 if cut >= 0 else floor


def _health_spans(text: str, names: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _conditions(text):
        s, e = m.start(), m.end()
        if _SERVICE_AFTER.match(text, e):
            continue
        left = text[_sentence_start(text, s) : s]
        named = any(ns >= s - 80 and ne <= s for ns, ne in names)
        if named or _held_by_someone(left):
            # "a stroke", "a stoma": the article is not part of the condition
            if m.group()[:2].lower() == "a ":
                s += 2
            spans.append((s, e))
    return spans


def _person_spans(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _THIRD_PARTY.finditer(text)]
    spans += [(m.start(), m.end()) for m in _KIN_AS_NAME.finditer(text)]
    return spans


_KIN_RE = re.compile(rf"(?i)\b{_KIN}\b")


def _kin_left(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The relation words in a third-party phrase partly taken by another span."""
    return [(m.start(), m.end()) for m in _KIN_RE.finditer(text, s, e)]


def _role_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for i, pattern in enumerate(_ROLE_PATTERNS):
        for m in pattern.finditer(text):
            if i == 1:
                spans.append((m.start("role"), m.end("role")))
            else:
                spans.append((m.start(), m.end()))
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
        cands += [
            (m.start(), m.end(), "POSTCODE")
            for m in _OUTWARD.finditer(text)
            if m.group(1) in _POSTCODE_AREAS
        ]
        cands += [(s, e, "ADDRESS") for s, e in _address_spans(text)]
        cands += [(s, e, "AGE") for s, e in _age_spans(text)]
    elif " live" in text or " living" in text:
        cands += [(s, e, "ADDRESS") for s, e in _address_spans(text)]
    names = _name_spans(text)
    cands += [(s, e, "NAME") for s, e in names]
    cands += [(s, e, "PERSON") for s, e in _person_spans(text)]
    cands += [(s, e, "HEALTH") for s, e in _health_spans(text, names)]
    cands += [(s, e, "ROLE") for s, e in _role_spans(text)]
    # Resolve overlaps: higher-priority type first, then longer span.
    cands.sort(key=lambda c: (_PRIORITY[c[2]], -(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int, str]] = []  # kept in order of start (they never overlap)

    def overlaps(s: int, e: int) -> bool:
        i = bisect.bisect_left(taken, (s,))
        return (i > 0 and taken[i - 1][1] > s) or (i < len(taken) and taken[i][0] < e)

    for s, e, t in cands:
        if e <= s:
            continue
        if overlaps(s, e):
            if t == "PERSON":  # "my autistic son": [HEALTH] taken, the son is still a person
                for ps, pe in _kin_left(text, s, e):
                    if not overlaps(ps, pe):
                        bisect.insort(taken, (ps, pe, t))
            continue
        bisect.insort(taken, (s, e, t))
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
