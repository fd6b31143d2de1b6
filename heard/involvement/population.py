"""Reference populations and the explicit mapping from member answers to their categories.

Pure Python, no Django. A population file is an ONS-style table in long format:
``dimension,category,count,share`` (a count for every category of a dimension, or a
share for every category). We never assume which categories a file holds; we map member
answers onto them:

- ``sex_age`` categories such as "Male 18-24", "Female 90+" are parsed into a sex and an
  age range, and each range is gathered into the member age band that contains it
  (e.g. 75-84, 85-89 and 90+ all fall within "75 or over"). From the same figures we
  derive ``sex`` and ``age_band`` on their own.
- ``ethnic_group`` categories are matched to the broad ethnic group of the member's
  answer (``heard.people.equality.ethnic_broad_group``) by name.

Categories that cannot be mapped are listed in ``Population.unmapped`` so the page can
say so, rather than silently dropped. Members with no answer, "prefer not to say", or an
answer the population lacks (e.g. under 18 against an adults-only table) are "unknown".
"""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from heard.people import equality

BUILT_IN_PATH = Path(__file__).resolve().parent / "data" / "norfolk-2021.csv"
BUILT_IN_NAME = "Norfolk, Census 2021 (built in)"

# Member age bands (equality.AGE_BAND codes) as inclusive year ranges; None = no upper end.
AGE_RANGES: dict[str, tuple[int, int | None]] = {
    "under_18": (0, 17),
    "18_24": (18, 24),
    "25_34": (25, 34),
    "35_44": (35, 44),
    "45_54": (45, 54),
    "55_64": (55, 64),
    "65_74": (65, 74),
    "75_plus": (75, None),
}
AGE_LABELS: dict[str, str] = {
    "under_18": "Under 18",
    "18_24": "18-24",
    "25_34": "25-34",
    "35_44": "35-44",
    "45_54": "45-54",
    "55_64": "55-64",
    "65_74": "65-74",
    "75_plus": "75+",
}
SEX_LABELS: dict[str, str] = {"female": "Female", "male": "Male"}

DIMENSION_LABELS: dict[str, str] = {
    "locality": "Locality",
    "sex_age": "Sex and age band together",
    "sex": "Sex",
    "age_band": "Age band",
    "ethnic_group": "Ethnic group (broad)",
}
# Dimensions that describe the same thing and cannot be crossed with each other.
OVERLAPPING = {frozenset({"sex_age", "sex"}), frozenset({"sex_age", "age_band"})}

_SEX_AGE = re.compile(
    r"^\s*(?P<sex>[A-Za-z]+)\s+(?P<lo>\d+)\s*(?:-\s*(?P<hi>\d+)|(?P<plus>\+))\s*$"
)


class PopulationError(ValueError):
    """A population file that cannot be used, with a message saying where and why."""


@dataclass
class Population:
    name: str
    # dimension -> category -> share of that dimension (adds up to 1), as mapped for members
    shares: dict[str, dict[str, float]]
    unmapped: list[str] = field(default_factory=list)
    raw_dimensions: list[str] = field(default_factory=list)
    # member age band code -> the age label used by this population's strata
    age_map: dict[str, str] = field(default_factory=lambda: dict(AGE_LABELS))
    # casefolded locality name -> the file's category, when the file has a locality dimension
    localities: dict[str, str] = field(default_factory=dict)

    @property
    def dimensions(self) -> list[str]:
        return [d for d in DIMENSION_LABELS if d in self.shares]


def _age_label(lo: int, hi: int | None, age_map: dict[str, str]) -> str:
    """The stratum label for a population age range, recording which member bands map to it.

    A range inside one member band (e.g. 85-89 inside "75 or over") takes that band's
    label; a range made of whole member bands (e.g. 18-44) keeps its own label and
    those bands map to it. A range that cuts across a member band cannot be matched ("").
    """
    top = hi if hi is not None else 10_000
    for code, (band_lo, band_hi) in AGE_RANGES.items():
        band_top = band_hi if band_hi is not None else 10_000
        if band_lo <= lo and top <= band_top:
            return _claim([code], AGE_LABELS[code], age_map)
    overlapping = [
        (code, band_lo, band_hi if band_hi is not None else 10_000)
        for code, (band_lo, band_hi) in AGE_RANGES.items()
        if band_lo <= top and lo <= (band_hi if band_hi is not None else 10_000)
    ]
    if overlapping and all(lo <= b_lo and b_top <= top for _, b_lo, b_top in overlapping):
        label = f"{lo}+" if hi is None else f"{lo}-{hi}"
        return _claim([code for code, _, _ in overlapping], label, age_map)
    return ""


def _claim(codes: list[str], label: str, age_map: dict[str, str]) -> str:
    if any(age_map.get(code, label) != label for code in codes):
        return ""  # the member band already belongs to another range of this file
    for code in codes:
        age_map[code] = label
    return label


def _parse_rows(text: str) -> dict[str, dict[str, tuple[float | None, float | None]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    wanted = {"dimension", "category", "count", "share"}
    header = {h.strip().lower() for h in (reader.fieldnames or [])}
    if not wanted <= header:
        missing = ", ".join(sorted(wanted - header))
        raise PopulationError(
            f"The file needs the columns dimension, category, count and share; missing: {missing}."
        )
    table: dict[str, dict[str, tuple[float | None, float | None]]] = {}
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        dimension, category = row["dimension"], row["category"]
        if not dimension and not category:
            continue
        if not dimension or not category:
            raise PopulationError(f"Line {line}: both dimension and category are needed.")
        try:
            count = float(row["count"].replace(",", "")) if row["count"] else None
            share = float(row["share"]) if row["share"] else None
        except ValueError:
            raise PopulationError(
                f"Line {line}: count and share must be numbers (got “{row['count']}”, “{row['share']}”)."
            ) from None
        if (count is not None and count < 0) or (share is not None and share < 0):
            raise PopulationError(f"Line {line}: count and share cannot be negative.")
        if count is None and share is None:
            raise PopulationError(f"Line {line}: give a count or a share for “{category}”.")
        table.setdefault(dimension, {})[category] = (count, share)
    if not table:
        raise PopulationError("The file has no rows of figures.")
    return table


def _dimension_shares(
    dimension: str, rows: dict[str, tuple[float | None, float | None]]
) -> dict[str, float]:
    if all(count is not None for count, _ in rows.values()):
        values = {c: float(count or 0) for c, (count, _) in rows.items()}
    elif all(share is not None for _, share in rows.values()):
        values = {c: float(share or 0) for c, (_, share) in rows.items()}
    else:
        raise PopulationError(
            f"Dimension “{dimension}”: give a count for every category or a share for every category."
        )
    total = sum(values.values())
    if total <= 0:
        raise PopulationError(f"Dimension “{dimension}”: the figures add up to nothing.")
    return {c: v / total for c, v in values.items()}


def population_parse(text: str, *, name: str) -> Population:
    """Read a population table; raise PopulationError with a message a person can act on."""
    table = _parse_rows(text)
    shares: dict[str, dict[str, float]] = {}
    unmapped: list[str] = []
    age_map: dict[str, str] = {}
    if "sex_age" in table:
        raw = _dimension_shares("sex_age", table["sex_age"])
        sex_age: dict[str, float] = {}
        sex: dict[str, float] = {}
        age: dict[str, float] = {}
        for category, share in raw.items():
            match = _SEX_AGE.match(category)
            sex_code = match and match["sex"].lower()
            if not match or sex_code not in SEX_LABELS:
                unmapped.append(f"sex_age: {category}")
                continue
            hi = None if match["plus"] else int(match["hi"])
            label = _age_label(int(match["lo"]), hi, age_map)
            if not label:
                unmapped.append(f"sex_age: {category}")
                continue
            sex_label = SEX_LABELS[sex_code]
            sex_age[f"{sex_label} {label}"] = sex_age.get(f"{sex_label} {label}", 0.0) + share
            sex[sex_label] = sex.get(sex_label, 0.0) + share
            age[label] = age.get(label, 0.0) + share
        if sex_age:
            shares["sex_age"], shares["sex"], shares["age_band"] = (
                _normalise(sex_age),
                _normalise(sex),
                _normalise(age),
            )
    if "ethnic_group" in table:
        raw = _dimension_shares("ethnic_group", table["ethnic_group"])
        known = set(equality.ETHNIC_BROAD.values())
        mapped = {c: s for c, s in raw.items() if c in known}
        unmapped.extend(f"ethnic_group: {c}" for c in raw if c not in known)
        if mapped:
            shares["ethnic_group"] = _normalise(mapped)
    localities: dict[str, str] = {}
    if "locality" in table:
        # matched to members' locality (from their postcode) by name, ignoring case
        raw = _dimension_shares("locality", table["locality"])
        shares["locality"] = raw
        localities = {c.casefold(): c for c in raw}
    for other in sorted(set(table) - {"sex_age", "ethnic_group", "locality"}):
        unmapped.append(f"{other} (no member question maps to this dimension)")
    if not shares:
        raise PopulationError(
            "None of the file's categories can be matched to members' answers: use the "
            "dimensions sex_age (e.g. “Female 18-24”) or ethnic_group (broad ONS groups)."
        )
    return Population(
        name=name,
        shares=shares,
        unmapped=unmapped,
        raw_dimensions=sorted(table),
        age_map=age_map or dict(AGE_LABELS),
        localities=localities,
    )


def _normalise(values: dict[str, float]) -> dict[str, float]:
    total = sum(values.values())
    return {k: v / total for k, v in values.items()}


def built_in_population() -> Population:
    return population_parse(BUILT_IN_PATH.read_text(encoding="utf-8"), name=BUILT_IN_NAME)


def member_categories(
    *,
    age_band: str,
    sex: str,
    ethnic_group: str,
    age_map: dict[str, str] | None = None,
    locality: str = "",
    localities: dict[str, str] | None = None,
) -> dict[str, str]:
    """A member's category on each dimension; a dimension is left out when unknown.

    ``age_map``: the population's member-band-to-label map (Population.age_map);
    ``localities``: its casefolded locality names (Population.localities).
    """
    result: dict[str, str] = {}
    place = (localities or {}).get(locality.casefold(), "") if locality else ""
    if place:
        result["locality"] = place
    sex_label = SEX_LABELS.get(sex, "")
    age_label = (age_map if age_map is not None else AGE_LABELS).get(age_band, "")
    if sex_label:
        result["sex"] = sex_label
    if age_label:
        result["age_band"] = age_label
    if sex_label and age_label:
        result["sex_age"] = f"{sex_label} {age_label}"
    broad = equality.ethnic_broad_group(ethnic_group) if ethnic_group else ""
    if broad:
        result["ethnic_group"] = broad
    return result


def dimensions_problem(dimensions: list[str]) -> str:
    """A message if the chosen dimensions overlap, else ''."""
    chosen = set(dimensions)
    for pair in OVERLAPPING:
        if pair <= chosen:
            a, b = sorted(pair)
            return (
                f"Choose “{DIMENSION_LABELS[a]}” or “{DIMENSION_LABELS[b]}”, not both: "
                "they describe the same people twice."
            )
    return ""
