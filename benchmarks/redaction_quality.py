"""Quality of the redactor (heard_analysis.redact) on a labelled set written blind to its
rules (never run as a unit test).

    .venv/bin/python benchmarks/redaction_quality.py [--set PATH] [--json] [--misses]

The set: engine/tests/data/redaction_blind/blind_set.jsonl (400 synthetic comments, CC0,
written by someone who had not seen the rules; its README says how, and the labels).

Matching rule. A labelled span is *found* when a redaction overlaps it (at least one
character in common) and the redaction's type is compatible with the label:

    PERSON -> NAME                 ADDRESS -> ADDRESS          POSTCODE -> POSTCODE, ADDRESS
    PHONE -> PHONE                 EMAIL -> EMAIL              NHS_NUMBER -> NHS_NUMBER
    DATE_OF_BIRTH -> DOB           AGE -> AGE                  HEALTH -> HEALTH
    THIRD_PARTY -> PERSON, NAME    IDENTIFYING_ROLE -> ROLE, ADDRESS

A redaction is *correct* (precision) when it overlaps a labelled span whose label is
compatible with its type; otherwise it is a false alarm (text that needed no redaction,
or redacted under a type the label does not allow). Also printed: "removed", the share of
labelled spans whose every character is inside some redaction of any type (what matters
to the person: is the text gone), and how many of the comments with no personal data had
something redacted.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from heard_analysis import find_pii

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SET = ROOT / "engine" / "tests" / "data" / "redaction_blind" / "blind_set.jsonl"

COMPATIBLE = {
    "PERSON": {"NAME"},
    "ADDRESS": {"ADDRESS"},
    "POSTCODE": {"POSTCODE", "ADDRESS"},
    "PHONE": {"PHONE"},
    "EMAIL": {"EMAIL"},
    "NHS_NUMBER": {"NHS_NUMBER"},
    "DATE_OF_BIRTH": {"DOB"},
    "AGE": {"AGE"},
    "HEALTH": {"HEALTH"},
    "THIRD_PARTY": {"PERSON", "NAME"},
    "IDENTIFYING_ROLE": {"ROLE", "ADDRESS"},
}


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(rows: list[dict]) -> dict:
    found: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    gold_n: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    clean_rows = clean_touched = 0
    misses: list[tuple[str, str, str]] = []
    alarms: list[tuple[str, str, str]] = []
    for row in rows:
        text = row["text"]
        gold = [(s["start"], s["end"], s["label"]) for s in row["spans"]]
        pred = [(p.start, p.end, p.type) for p in find_pii(text)]
        if not gold:
            clean_rows += 1
            clean_touched += bool(pred)
        covered = set()
        for s, e, _ in pred:
            covered.update(range(s, e))
        for s, e, label in gold:
            gold_n[label] += 1
            hit = any(_overlap((s, e), (ps, pe)) and t in COMPATIBLE[label] for ps, pe, t in pred)
            found[label] += hit
            removed[label] += all(i in covered for i in range(s, e))
            if not hit:
                misses.append((label, text[s:e], row["id"]))
        for ps, pe, t in pred:
            pred_n[t] += 1
            ok = any(_overlap((s, e), (ps, pe)) and t in COMPATIBLE[label] for s, e, label in gold)
            correct[t] += ok
            if not ok:
                alarms.append((t, text[ps:pe], row["id"]))
    per_label = {}
    for label in COMPATIBLE:
        n = gold_n[label]
        per_label[label] = {
            "spans": n,
            "recall": found[label] / n if n else None,
            "removed": removed[label] / n if n else None,
        }
    per_type = {}
    for t in sorted(pred_n):
        per_type[t] = {"redactions": pred_n[t], "precision": correct[t] / pred_n[t]}
    all_gold = sum(gold_n.values())
    all_pred = sum(pred_n.values())
    recall = sum(found.values()) / all_gold if all_gold else 0.0
    precision = sum(correct.values()) / all_pred if all_pred else 0.0
    return {
        "rows": len(rows),
        "per_label": per_label,
        "per_type": per_type,
        "micro": {
            "recall": recall,
            "precision": precision,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "removed": sum(removed.values()) / all_gold if all_gold else 0.0,
        },
        "clean_rows": clean_rows,
        "clean_rows_redacted": clean_touched,
        "misses": misses,
        "false_alarms": alarms,
    }


def _f1(p: float | None, r: float | None) -> str:
    if p is None or r is None or p + r == 0:
        return "  –  "
    return f"{2 * p * r / (p + r):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--misses", action="store_true", help="list misses and false alarms")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.set.read_text("utf-8").splitlines() if line]
    result = score(rows)
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k not in ("misses", "false_alarms")}))
        return
    # precision of the redaction types that answer each label (for the per-label F1)
    print(f"== Redaction on {args.set.name} ({result['rows']} comments) ==")
    print(f"{'label':<18}{'spans':>6}{'recall':>8}{'removed':>9}{'prec*':>7}{'F1*':>7}")
    for label, m in result["per_label"].items():
        types = COMPATIBLE[label]
        n = sum(result["per_type"].get(t, {}).get("redactions", 0) for t in types)
        ok = sum(
            result["per_type"][t]["precision"] * result["per_type"][t]["redactions"]
            for t in types
            if t in result["per_type"]
        )
        p = ok / n if n else None
        r = m["recall"]
        print(
            f"{label:<18}{m['spans']:>6}{r:>8.3f}{m['removed']:>9.3f}"
            f"{(f'{p:.3f}' if p is not None else '  –  '):>7}{_f1(p, r):>7}"
        )
    print("* precision of the redaction types compatible with the label (a type shared by two")
    print("  labels, e.g. PERSON for THIRD_PARTY, counts its redactions under both)")
    print(f"{'redaction type':<18}{'count':>6}{'precision':>11}")
    for t, m in result["per_type"].items():
        print(f"{t:<18}{m['redactions']:>6}{m['precision']:>11.3f}")
    micro = result["micro"]
    print(
        f"all: recall {micro['recall']:.3f}, precision {micro['precision']:.3f}, "
        f"F1 {micro['f1']:.3f}; text of labelled spans removed: {micro['removed']:.3f}"
    )
    print(
        f"comments with no personal data: {result['clean_rows']}, "
        f"of which {result['clean_rows_redacted']} had something redacted"
    )
    if args.misses:
        print("-- misses (label, text, id)")
        for item in result["misses"]:
            print("  ", item)
        print("-- false alarms (type, text, id)")
        for item in result["false_alarms"]:
            print("  ", item)


if __name__ == "__main__":
    main()
