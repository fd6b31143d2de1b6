"""Equality monitoring categories (ONS Census 2021), free of Django.

Every question is optional and offers "Prefer not to say". Answers are stored apart from
identity (``EqualityMonitoring``), readable only with ``people.view_equality``, and
reported only in aggregate with small numbers suppressed.
"""

PREFER_NOT_TO_SAY = ("prefer_not_to_say", "Prefer not to say")


def _with_pnts(*choices: tuple[str, str]) -> list[tuple[str, str]]:
    return [*choices, PREFER_NOT_TO_SAY]


AGE_BAND = _with_pnts(
    ("under_18", "Under 18"),
    ("18_24", "18 to 24"),
    ("25_34", "25 to 34"),
    ("35_44", "35 to 44"),
    ("45_54", "45 to 54"),
    ("55_64", "55 to 64"),
    ("65_74", "65 to 74"),
    ("75_plus", "75 or over"),
)
SEX = _with_pnts(("female", "Female"), ("male", "Male"))
GENDER_SAME_AS_SEX = _with_pnts(("yes", "Yes"), ("no", "No"))
SEXUAL_ORIENTATION = _with_pnts(
    ("straight", "Straight or heterosexual"),
    ("gay_lesbian", "Gay or lesbian"),
    ("bisexual", "Bisexual"),
    ("other", "Other sexual orientation"),
)
# ONS 2021 ethnic group, high-level categories with the detailed groups beneath.
ETHNIC_GROUP = _with_pnts(
    ("asian_indian", "Asian or Asian British: Indian"),
    ("asian_pakistani", "Asian or Asian British: Pakistani"),
    ("asian_bangladeshi", "Asian or Asian British: Bangladeshi"),
    ("asian_chinese", "Asian or Asian British: Chinese"),
    ("asian_other", "Asian or Asian British: any other Asian background"),
    ("black_african", "Black, Black British, Caribbean or African: African"),
    ("black_caribbean", "Black, Black British, Caribbean or African: Caribbean"),
    ("black_other", "Black, Black British, Caribbean or African: any other background"),
    ("mixed_white_black_caribbean", "Mixed or multiple: White and Black Caribbean"),
    ("mixed_white_black_african", "Mixed or multiple: White and Black African"),
    ("mixed_white_asian", "Mixed or multiple: White and Asian"),
    ("mixed_other", "Mixed or multiple: any other background"),
    ("white_british", "White: English, Welsh, Scottish, Northern Irish or British"),
    ("white_irish", "White: Irish"),
    ("white_gypsy_traveller", "White: Gypsy or Irish Traveller"),
    ("white_roma", "White: Roma"),
    ("white_other", "White: any other White background"),
    ("other_arab", "Other ethnic group: Arab"),
    ("other_any", "Other ethnic group: any other ethnic group"),
)
# The broad group each detailed answer belongs to (as in the reference population file).
ETHNIC_BROAD = {
    "asian": "Asian, Asian British or Asian Welsh",
    "black": "Black, Black British, Black Welsh, Caribbean or African",
    "mixed": "Mixed or Multiple ethnic groups",
    "white": "White",
    "other": "Other ethnic group",
}


def ethnic_broad_group(code: str) -> str:
    """'asian_indian' -> 'Asian, Asian British or Asian Welsh'; '' for no answer."""
    prefix = code.split("_", 1)[0]
    return ETHNIC_BROAD.get(prefix, "")


DISABILITY = _with_pnts(
    ("yes_a_lot", "Yes, limited a lot"),
    ("yes_a_little", "Yes, limited a little"),
    ("no", "No"),
)
RELIGION = _with_pnts(
    ("none", "No religion"),
    ("christian", "Christian"),
    ("buddhist", "Buddhist"),
    ("hindu", "Hindu"),
    ("jewish", "Jewish"),
    ("muslim", "Muslim"),
    ("sikh", "Sikh"),
    ("other", "Any other religion"),
)
CARER = _with_pnts(
    ("no", "No"),
    ("yes_under_20h", "Yes, 19 hours a week or less"),
    ("yes_20_49h", "Yes, 20 to 49 hours a week"),
    ("yes_50h_plus", "Yes, 50 or more hours a week"),
)
PREGNANCY = _with_pnts(
    ("no", "No"),
    ("pregnant", "Yes, I am pregnant"),
    ("recent_birth", "Yes, I have given birth in the last 26 weeks"),
)
MARITAL = _with_pnts(
    ("never", "Never married and never registered a civil partnership"),
    ("married", "Married"),
    ("civil_partnership", "In a registered civil partnership"),
    ("separated", "Separated, but still legally married or in a civil partnership"),
    ("divorced", "Divorced or civil partnership dissolved"),
    ("widowed", "Widowed or surviving civil partner"),
)

QUESTIONS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "age_band": ("What is your age?", AGE_BAND),
    "sex": ("What is your sex?", SEX),
    "gender_same_as_sex": (
        "Is the gender you identify with the same as your sex registered at birth?",
        GENDER_SAME_AS_SEX,
    ),
    "sexual_orientation": (
        "Which of the following best describes your sexual orientation?",
        SEXUAL_ORIENTATION,
    ),
    "ethnic_group": ("What is your ethnic group?", ETHNIC_GROUP),
    "disability": (
        "Do you have any physical or mental health conditions or illnesses lasting or expected to last 12 months or more that reduce your ability to carry out day-to-day activities?",
        DISABILITY,
    ),
    "religion": ("What is your religion?", RELIGION),
    "carer": (
        "Do you look after, or give any help or support to, anyone because they have long-term physical or mental health conditions or illnesses, or problems related to old age?",
        CARER,
    ),
    "pregnancy": ("Are you pregnant or have you given birth in the last 26 weeks?", PREGNANCY),
    "marital_status": (
        "What is your legal marital or registered civil partnership status?",
        MARITAL,
    ),
}
