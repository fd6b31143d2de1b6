"""Build redaction_set.jsonl: a labelled set of feedback-like sentences with PII spans.

Written for Heard: the templates below are hand-written, in the style of NHS Friends and
Family Test comments; the slot values are synthetic (fictional names, Ofcom drama phone
ranges, valid-by-checksum but invented NHS numbers). About a third of the names are NOT in
the shipped name lists, so the name recall measured here is not just the list's coverage.

Run: python engine/tests/data/make_redaction_set.py  (deterministic, seed 7)
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

OUT = Path(__file__).with_name("redaction_set.jsonl")

IN_LIST_FORE = [
    "Sarah",
    "John",
    "Emma",
    "David",
    "Priya",
    "Mohammed",
    "Siobhan",
    "Gareth",
    "Aisha",
    "Karen",
    "Callum",
    "Fatima",
    "Niamh",
    "Trevor",
    "Zoe",
    "Jackie",
    "Rhys",
    "Yvonne",
]
OUT_LIST_FORE = [
    "Bartholomew",
    "Chidi",
    "Agnieszka",
    "Oluwaseun",
    "Rhiannon",
    "Eilidh",
    "Ffion",
    "Kwame",
    "Marek",
    "Hollie",
    "Bronwen",
    "Caoimhe",
    "Jaswinder",
    "Thandiwe",
    "Lukasz",
    "Tariq",
    "Morwenna",
    "Ifeoma",
]
IN_LIST_SUR = ["Smith", "Patel", "Jones", "Okafor", "Khan", "O'Brien", "Williams", "Hughes"]
OUT_LIST_SUR = [
    "Okeke",
    "Mensah",
    "Kowalczyk",
    "Penhaligon",
    "Abernethy",
    "Nakamura",
    "Oyelaran",
    "Trelawney",
    "Fairbairn",
    "Dunmore",
]

POSTCODES = [
    "NG7 2UH",
    "SW1A 1AA",
    "M1 1AE",
    "B33 8TH",
    "CR2 6XH",
    "DN55 1PT",
    "ng5 1pb",
    "LS1 4AP",
    "EC1A 1BB",
    "W1A 0AX",
    "NG187AB",
    "S10 2TN",
    "DE22 3NE",
    "LE1 5WW",
]
EMAILS = [
    "jo.bloggs@nhs.net",
    "sarah_k88@hotmail.co.uk",
    "complaints@nuh.nhs.uk",
    "dave.smith1962@gmail.com",
    "m.khan+nhs@outlook.com",
    "info@carersgroup.org",
    "PATIENT.EXPERIENCE@trust.nhs.uk",
]
URLS = [
    "https://www.nhs.uk/conditions/asthma/",
    "www.nottshc.nhs.uk",
    "http://bit.ly/3xYz12",
    "facebook.com/groups/mumsnotts",
    "https://example.org/feedback?id=42",
    "www.gov.uk/carers-allowance",
    "https://tinyurl.com/ward-survey",
]
DOBS = [
    "DOB 12/03/1956",
    "date of birth: 3rd March 1948",
    "born on 14 July 1990",
    "D.O.B. 01-02-1975",
    "born 1956-03-12",
    "DOB: 7.11.62",
    "date of birth 22 Sept 2001",
    "dob 30/06/1939",
    "born on March 5, 1985",
]


def phone(rng: random.Random) -> str:
    kind = rng.randrange(9)
    a = rng.randrange(900000, 900999)
    if kind == 0:
        return f"07700 {a}"
    if kind == 1:
        return f"07700{a}"
    if kind == 2:
        return f"+44 7700 {a}"
    if kind == 3:
        return f"0115 496 {rng.randrange(1000, 9999)}"
    if kind == 4:
        return f"(0115) 496 {rng.randrange(1000, 9999)}"
    if kind == 5:
        return f"020 7946 {rng.randrange(1000, 9999)}"
    if kind == 6:
        return f"020-7946-{rng.randrange(1000, 9999)}"
    if kind == 7:
        return f"+44 (0)161 496 {rng.randrange(1000, 9999)}"
    return f"01632 960{rng.randrange(100, 999)}"


def nhs_number(rng: random.Random, valid: bool = True) -> str:
    while True:
        d = [rng.randrange(10) for _ in range(9)]
        d[0] = rng.choice([4, 6, 7, 9])
        total = sum(x * w for x, w in zip(d, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check == 10:
            continue
        if not valid:
            check = (check + 1 + rng.randrange(8)) % 10
        s = "".join(map(str, [*d, check]))
        fmt = rng.randrange(3)
        if fmt == 0:
            return f"{s[:3]} {s[3:6]} {s[6:]}"
        if fmt == 1:
            return s
        return f"{s[:3]}-{s[3:6]}-{s[6:]}"


def name(rng: random.Random, full: bool = False, fore_only: bool = False) -> str:
    fore = rng.choice(IN_LIST_FORE if rng.random() < 0.6 else OUT_LIST_FORE)
    sur = rng.choice(IN_LIST_SUR if rng.random() < 0.6 else OUT_LIST_SUR)
    if fore_only:
        return fore
    if full:
        return f"{fore} {sur}"
    return rng.choice([fore, f"{fore} {sur}"])


def surname(rng: random.Random) -> str:
    return rng.choice(IN_LIST_SUR if rng.random() < 0.5 else OUT_LIST_SUR)


# Slots: {NAME} forename or full name; {FULL} full; {FORE} forename; {SUR} surname
# {PHONE} {NHS} {EMAIL} {URL} {POSTCODE} {DOB}
POSITIVE = [
    "Dr {SUR} was very thorough and explained everything.",
    "Nurse {FORE} on the night shift was so kind to my mum.",
    "I would like to thank Sister {SUR} and all the team on Ward 12.",
    "My husband {NAME} was treated with dignity throughout.",
    "Please pass my thanks to {FULL}, the physio, she was brilliant.",
    "The receptionist, called {FORE}, was rude and dismissive.",
    "A student nurse named {FORE} stayed with me when I was scared.",
    "{FULL} in the discharge lounge went above and beyond.",
    "Thank you {FORE} for making my stay bearable.",
    "Mr {SUR} the consultant didn't listen to a word I said.",
    "My daughter, {FORE}, has autism and staff were very patient with her.",
    "We were seen by Dr {FULL} who was excellent.",
    "Special thanks to {FORE} and {FORE2} in the children's unit.",
    "My mum {FULL} was left without water for hours.",
    "Staff nurse {SUR} should be promoted, she is a credit to the NHS.",
    "You can call me on {PHONE} if you want to discuss this.",
    "My number is {PHONE}, nobody has ever rung me back.",
    "Ring {PHONE} and ask for the ward manager, they never answer.",
    "I rang {PHONE} six times before anyone picked up.",
    "Contact me at {EMAIL} for more details.",
    "I emailed {EMAIL} twice and got no reply.",
    "Send the letter to {EMAIL} not my old address.",
    "My NHS number is {NHS} and my records were wrong.",
    "NHS no. {NHS} - the appointment letter went to the wrong house.",
    "They had my NHS number ({NHS}) but still lost the referral.",
    "Reference {NHS} was on the form.",
    "I live at {POSTCODE} and the ambulance went to the wrong street.",
    "Parking near {POSTCODE} is impossible on a weekday.",
    "The transport pick-up from {POSTCODE} was two hours late.",
    "More information is on {URL} if anyone reads this.",
    "The leaflet said to check {URL} but the page was broken.",
    "I found the support group at {URL}, staff should tell people about it.",
    "Patient {FULL}, {DOB}, was discharged without medication.",
    "My father ({DOB}) was kept on a trolley for 14 hours.",
    "Details: {DOB}, {POSTCODE}, {PHONE}.",
    "I am {FULL}, {DOB}, NHS number {NHS}, please call {PHONE}.",
    "Dr {SUR} said to email {EMAIL} with the photos.",
    "Ask for {FORE} on {PHONE}, she sorted everything for us.",
    "Our son {FORE} was born here and the midwife {FORE2} was amazing.",
    "My wife {FORE} waited four hours in A&E with a broken wrist.",
    "I saw Dr. {SUR} in outpatients and she was lovely.",
    "My partner {NAME} had a hip replacement and the aftercare was poor.",
    "The healthcare assistant {FORE} helped me wash every morning.",
    "Well done {FORE}, you made a difficult day easier.",
    "I spoke to {FULL} from PALS who promised to ring back.",
    "Can {FULL} please be told how much she helped.",
    "{FORE} and {FORE2} on reception were friendly and efficient.",
    "Physio {FORE} gave me exercises that really worked.",
    "My granddaughter {FORE} was frightened but the play team were great.",
    "Prof {SUR} operated on me and I can walk again.",
    "Matron {SUR} sorted out the noise at night straight away.",
    "Midwife {FULL} should get an award.",
    "The doctor, {FULL}, apologised for the wait.",
    "My brother {FORE} {SUR2} was treated badly by security.",
    "Letters keep going to {POSTCODE} even though we moved.",
    "Write to me at {EMAIL} or text {PHONE}.",
    "The consultant Mrs {SUR} explained the scan results clearly.",
    "Mrs {FULL} in the pharmacy was very helpful.",
    "{FULL} was the best nurse I have ever met.",
    "Thanks to Dr {SUR} and Nurse {FORE} for everything.",
    "Please note my dob is {DOBDATE}.",
    "My friend {FORE} drove me because the transport was cancelled.",
    "{FORE} from the mental health team listened to me.",
    "I was looked after by {FULL} who was fantastic.",
    "Regards, {FULL}",
]

NEGATIVE = [
    "I waited 3 hours in A&E and nobody told me anything.",
    "Ward 7 was clean and the staff were lovely.",
    "I called 111 and they sent an ambulance within 20 minutes.",
    "My appointment on 12/03/2024 was cancelled twice.",
    "10/10 would recommend this ward to anyone.",
    "Parking cost £20 for the day which is far too much.",
    "Room 101 was freezing at night.",
    "Seen at 2.30pm, left at 6.15pm.",
    "Bay 4 bed 12 had a broken call bell.",
    "Queen's Medical Centre is too big to find your way around.",
    "Will I get a letter about my next appointment?",
    "May I say how grateful I am to everyone.",
    "In May the waiting times were much better.",
    "April and June appointments were both moved.",
    "Norfolk and Norwich staff were excellent.",
    "King's Mill Hospital needs more parking.",
    "The staff on Victoria Ward were amazing.",
    "Florence Nightingale ward was noisy at night.",
    "St Mary's maternity unit was clean and calm.",
    "Mark my words, this service will be cut next year.",
    "Grace and patience were shown by all the nurses.",
    "Hope is what the team gave us.",
    "The GP surgery never answers the phone before 8am.",
    "NHS 111 online was easy to use.",
    "Nothing to improve.",
    "Nothing.",
    "Excellent care from start to finish.",
    "The doctor was rude and the nurse ignored me.",
    "My husband was well looked after.",
    "My sister and I were made to feel welcome.",
    "Sister was kind and took time to explain.",
    "Dr was lovely but very rushed.",
    "We waited 45 minutes past our 10:15 slot.",
    "I have been coming here since 2009.",
    "Over 50% of my appointments were cancelled.",
    "Scored 9 out of 10 for cleanliness.",
    "Covid rules were explained clearly at the entrance.",
    "The Friends and Family Test is pointless.",
    "Nottingham City Hospital is better than this place.",
    "Reception staff at Derby were helpful.",
    "Christmas day on the ward was made special by the staff.",
    "Thank you to the whole team in Maternity.",
    "Thanks to everyone on the Stroke Unit.",
    "My reference number was 123456 and nobody could find it.",
    "The blood test took 5 minutes.",
    "A big thank you to the Physio team.",
    "Please pass on my thanks to all the Doctors and Nurses.",
    "Called the ward at 7am and no one answered.",
    "Sunday visiting hours should be longer.",
    "Frank and honest conversation with the consultant.",
    "Summer heat made the ward unbearable.",
    "The Mental Health Team were supportive.",
    "The pharmacy took 4 hours to do my TTOs.",
    "I was given leaflet A12 about diabetes.",
    "English is not my first language and nobody offered an interpreter.",
    "Dawn is when they finally moved me to a bed.",
]

# Added for issue 5's redaction bugs (kept apart, with their own seed, so the rows above
# are unchanged): an address followed by a full stop, and people named beside hospitals,
# practices and wards whose names contain personal names.
EXTRA_POSITIVE = [
    "Please write to {EMAIL}.",
    "My details are below: {EMAIL}. Thank you.",
    "Dr {SUR} at St Mary's Surgery was kind.",
    "Nurse {FORE} on Ward 5 was lovely.",
    "My husband {FORE} was treated at the Royal Derby Hospital.",
    "Thanks to {FULL} on Florence Nightingale ward.",
    "I saw Dr {SUR} at the John Radcliffe Hospital.",
    "{FULL} at George Eliot Hospital explained everything.",
    "My daughter {FORE} was born at King's Mill Hospital.",
]

EXTRA_NEGATIVE = [
    "I was treated at the John Radcliffe Hospital.",
    "George Eliot Hospital staff were kind.",
    "Thank you William Harvey Hospital.",
    "Thanks to everyone at the Royal Derby Hospital.",
    "St Mary's Surgery was great.",
    "Thank you to St Mary's Surgery.",
    "The staff on Ward 5 were great.",
    "Thanks to Ward 5 for everything.",
    "Thanks to the Florence Nightingale ward team.",
    "Thanks to Kingsmill hospital.",
    "Thanks to King's Mill staff.",
    "The Wells Road Centre was helpful.",
    "Thanks to Ashby ward.",
    "The Elizabeth Garrett Anderson wing was good.",
    "Thanks to Chesterfield Royal.",
    "Thanks to Thorneywood.",
    "Mary Seacole ward is noisy at night.",
    "Thank you Edith Cavell Ward.",
]


def fill(template: str, rng: random.Random) -> dict:
    spans: list[dict] = []
    out = ""
    pos = 0
    for m in re.finditer(r"\{(\w+)\}", template):
        out += template[pos : m.start()]
        slot = m.group(1)
        if slot == "NAME":
            value, typ = name(rng), "NAME"
        elif slot == "FULL":
            value, typ = name(rng, full=True), "NAME"
        elif slot in {"FORE", "FORE2"}:
            value, typ = name(rng, fore_only=True), "NAME"
        elif slot in {"SUR", "SUR2"}:
            value, typ = surname(rng), "NAME"
        elif slot == "PHONE":
            value, typ = phone(rng), "PHONE"
        elif slot == "NHS":
            value, typ = nhs_number(rng), "NHS_NUMBER"
        elif slot == "EMAIL":
            value, typ = rng.choice(EMAILS), "EMAIL"
        elif slot == "URL":
            value, typ = rng.choice(URLS), "URL"
        elif slot == "POSTCODE":
            value, typ = rng.choice(POSTCODES), "POSTCODE"
        elif slot == "DOB":
            cue_and_date = rng.choice(DOBS)
            date_start = _date_start(cue_and_date)
            out += cue_and_date[:date_start]
            value, typ = cue_and_date[date_start:], "DOB"
        elif slot == "DOBDATE":
            value, typ = rng.choice(["04/09/1971", "19 August 1944", "1950-01-31"]), "DOB"
        else:
            raise KeyError(slot)
        spans.append({"start": len(out), "end": len(out) + len(value), "type": typ})
        out += value
        pos = m.end()
    out += template[pos:]
    return {"text": out, "spans": spans}


def _date_start(s: str) -> int:
    m = re.search(
        r"\d|(?:January|February|March|April|May|June|July|August|September|"
        r"October|November|December)\s+\d",
        s,
    )
    assert m is not None
    return m.start()


def main() -> None:
    rng = random.Random(7)
    rows = []
    for _ in range(5):
        for t in POSITIVE:
            rows.append(fill(t, rng))
    # invalid-check-digit 10-digit numbers without an NHS cue are not NHS numbers
    for _ in range(15):
        rows.append(
            {"text": f"Order code {nhs_number(rng, valid=False)} was on the box.", "spans": []}
        )
    for t in NEGATIVE:
        rows.append({"text": t, "spans": []})
    extra_rng = random.Random(11)
    for _ in range(2):
        for t in EXTRA_POSITIVE:
            rows.append(fill(t, extra_rng))
    for t in EXTRA_NEGATIVE:
        rows.append({"text": t, "spans": []})
    seen = set()
    with OUT.open("w", encoding="utf-8") as fh:
        for r in rows:
            if r["text"] in seen:
                continue
            seen.add(r["text"])
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(len(seen), "sentences written to", OUT)


if __name__ == "__main__":
    main()
