"""heard-analyse: the analysis engine on CSV/XLSX files.

Every output keeps all input columns and rows in order (cells are read as text, so "007"
stays "007" and blank cells stay blank) and adds columns. The output format follows the
OUT extension (.csv or .xlsx). Problems with the input (missing file or column, empty
file, unknown encoding, unreadable file) stop with exit code 2 and a one-line message.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from heard_analysis.classify import Assignment

from heard_analysis.io import (
    CsvChunkWriter,
    InputError,
    iter_csv_chunks,
    read_table,
    require_column,
    stderr_progress,
    write_table,
)

PROG = "heard-analyse"

DESCRIPTION = """\
Heard's analysis engine for consultation and feedback responses.

Input: CSV (UTF-8, UTF-8 with BOM or Windows-1252) or XLSX. Output: .csv or .xlsx
(by the OUT extension), with every input column and row kept in order, plus new
columns. A progress bar is drawn on stderr when it is a terminal.
Exit codes: 0 success, 2 a problem with the input or the options (one-line message
on stderr), 1 an unexpected internal error.
"""

EPILOG = """\
examples:
  heard-analyse redact --input responses.csv --text-column comment --out redacted.csv
  heard-analyse classify --train coded.xlsx --predict new.csv --text-column comment \\
      --labels-column themes --out predicted.csv
  heard-analyse themes --input q1.csv --text-column comment --out codeframe.json --seed 1
"""


def _text_column(df: pd.DataFrame, column: str, path: str) -> list[str]:
    require_column(df, column, path)
    return [str(v) for v in df[column].tolist()]


def _is_csv(path: str) -> bool:
    return Path(path).suffix.lower() == ".csv"


def _progress(desc: str) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    return stderr_progress(0, desc)


def _stream_rows(
    args: argparse.Namespace,
    desc: str,
    add: Callable[[list[str]], dict[str, list[Any]]],
) -> int:
    """Row-local stages: CSV to CSV is streamed in chunks; otherwise read whole."""
    update, close = _progress(desc)
    try:
        if _is_csv(args.input) and _is_csv(args.out):
            writer = CsvChunkWriter(args.out)
            done = 0
            wrote = False
            for chunk in iter_csv_chunks(args.input, chunksize=50_000):
                texts = _text_column(chunk, args.text_column, args.input)
                for name, values in add(texts).items():
                    chunk[name] = values
                writer.write(chunk)
                wrote = True
                done += len(chunk)
                update(done, done)
            if wrote:
                return 0
        df = read_table(args.input)
        texts = _text_column(df, args.text_column, args.input)
        for name, values in add(texts).items():
            df[name] = values
        update(len(df), len(df))
        write_table(df, args.out)
        return 0
    finally:
        close()


def cmd_redact(args: argparse.Namespace) -> int:
    from heard_analysis.redact import redact_many

    return _stream_rows(args, "redact", lambda texts: {"redacted": redact_many(texts)})


def cmd_sentiment(args: argparse.Namespace) -> int:
    from heard_analysis.sentiment import sentiment

    def add(texts: list[str]) -> dict[str, list[Any]]:
        res = sentiment(texts)
        return {
            "sentiment": [s.label for s in res],
            "sentiment_score": [f"{s.score:.4f}" for s in res],
        }

    return _stream_rows(args, "sentiment", add)


def cmd_evidence(args: argparse.Namespace) -> int:
    from heard_analysis.evidence import flag_evidence

    def add(texts: list[str]) -> dict[str, list[Any]]:
        res = flag_evidence(texts, threshold=args.threshold)
        return {
            "evidence": ["true" if f.flagged else "false" for f in res],
            "evidence_score": [f"{f.score:.3f}" for f in res],
            "evidence_reasons": [";".join(f.reasons) for f in res],
        }

    return _stream_rows(args, "evidence", add)


def cmd_duplicates(args: argparse.Namespace) -> int:
    from heard_analysis.duplicates import find_duplicates

    df = read_table(args.input)
    texts = _text_column(df, args.text_column, args.input)
    update, close = _progress("duplicates")
    try:
        res = find_duplicates(
            texts,
            threshold=args.threshold,
            campaign_min_size=args.campaign_min_size,
            progress=update,
        )
    finally:
        close()
    df["duplicate_group"] = ["" if g is None else str(g + 1) for g in res.group_of]
    df["campaign"] = ["true" if res.is_campaign(i) else "false" for i in range(len(df))]
    write_table(df, args.out)
    if args.groups:
        groups = [
            {
                "duplicate_group": g.id + 1,
                "size": g.size,
                "exact": g.exact,
                "campaign": g.campaign,
                "template": g.template,
                "rows": g.rows,
            }
            for g in res.groups
        ]
        _write_json(args.groups, {"groups": groups, "campaign_rows": res.campaign_rows})
    return 0


def _split_labels(value: str) -> list[str]:
    return [s.strip() for s in str(value).split(";") if s.strip()]


def _spellings(values: list[str]) -> dict[str, str]:
    """How the coded file spells each theme, so that the output gives themes back as they
    came in. The engine matches themes without surrounding spaces (a stray space must not
    make a second theme), but a cell holding one theme is taken as written: the
    development data's "Medication " comes back as "Medication ", not "Medication". A
    theme seen only among others (after a ';') is spelt without the spaces."""
    seen: dict[str, Counter[str]] = {}
    for value in values:
        cell = str(value)
        if ";" not in cell and cell.strip():
            seen.setdefault(cell.strip(), Counter())[cell] += 1
    return {theme: spellings.most_common(1)[0][0] for theme, spellings in seen.items()}


def _as_written(result: list[Assignment], spelling: dict[str, str]) -> tuple[list[str], list[str]]:
    """The 'predicted' and 'confidence' cells, with themes spelt as in the coded file."""
    predicted = [";".join(spelling.get(t, t) for t in a.themes) for a in result]
    confidence = [
        json.dumps({spelling.get(t, t): p for t, p in a.confidence.items()}, ensure_ascii=False)
        for a in result
    ]
    return predicted, confidence


def cmd_classify(args: argparse.Namespace) -> int:
    from heard_analysis.classify import train_classifier

    train = read_table(args.train)
    texts = _text_column(train, args.text_column, args.train)
    require_column(train, args.labels_column, args.train)
    labels = [_split_labels(v) for v in train[args.labels_column].tolist()]
    if not any(labels):
        raise InputError(
            f"{Path(args.train).name}: column {args.labels_column!r} has no themes "
            "(themes are separated by ';')"
        )
    new = read_table(args.predict)
    new_texts = _text_column(new, args.text_column, args.predict)
    update, close = _progress("classify")
    try:
        model = train_classifier(texts, labels)
        model.review_threshold = args.review_threshold
        result = model.predict(new_texts, progress=update)
    finally:
        close()
    new["predicted"], new["confidence"] = _as_written(
        result, _spellings(train[args.labels_column].tolist())
    )
    new["needs_review"] = ["true" if a.needs_review else "false" for a in result]
    if args.suggest:
        ranks = [""] * len(new)
        for rank, i in enumerate(model.suggest_next(new_texts, args.suggest), start=1):
            ranks[i] = str(rank)
        new["suggested_rank"] = ranks
    write_table(new, args.out)
    return 0


def _write_json(path: str, data: dict[str, Any]) -> None:
    p = Path(path)
    if not p.parent.exists():
        raise InputError(f"{p.parent}: output folder does not exist")
    try:
        p.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{p}: cannot write ({exc.strerror or exc})") from None


def cmd_themes(args: argparse.Namespace) -> int:
    from heard_analysis.themes import discover_themes

    df = read_table(args.input)
    texts = _text_column(df, args.text_column, args.input)
    if not any(t.strip() for t in texts):
        raise InputError(f"{Path(args.input).name}: column {args.text_column!r} is blank")
    update, close = _progress("themes")
    try:
        cf = discover_themes(texts, n_themes=args.n_themes, seed=args.seed, progress=update)
    finally:
        close()
    _write_json(args.out, cf.to_dict())
    if cf.note:
        print(f"heard-analyse themes: {cf.note}", file=sys.stderr)
    return 0


def cmd_pipeline(args: argparse.Namespace) -> int:
    from heard_analysis.classify import train_classifier
    from heard_analysis.pipeline import run_pipeline

    df = read_table(args.input)
    texts = _text_column(df, args.text_column, args.input)
    model = None
    spelling: dict[str, str] = {}
    if args.train:
        if not args.labels_column:
            raise InputError("--train needs --labels-column")
        train = read_table(args.train)
        require_column(train, args.labels_column, args.train)
        model = train_classifier(
            _text_column(train, args.text_column, args.train),
            [_split_labels(v) for v in train[args.labels_column].tolist()],
        )
        spelling = _spellings(train[args.labels_column].tolist())
    update, close = _progress("pipeline")
    try:
        res = run_pipeline(texts, classifier=model, progress=update)
    finally:
        close()
    df["redacted"] = res.redacted
    df["duplicate_group"] = ["" if g is None else str(g + 1) for g in res.duplicates.group_of]
    df["campaign"] = ["true" if res.duplicates.is_campaign(i) else "false" for i in range(len(df))]
    df["sentiment"] = [s.label for s in res.sentiments]
    df["sentiment_score"] = [f"{s.score:.4f}" for s in res.sentiments]
    df["evidence"] = ["true" if f.flagged else "false" for f in res.evidence]
    if res.assignments is not None:
        df["predicted"], df["confidence"] = _as_written(res.assignments, spelling)
        df["needs_review"] = ["true" if a.needs_review else "false" for a in res.assignments]
    write_table(df, args.out)
    return 0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def common(p: argparse.ArgumentParser, out_help: str) -> None:
        p.add_argument("--input", required=True, metavar="F", help="input file (.csv or .xlsx)")
        p.add_argument(
            "--text-column", required=True, metavar="C", help="name of the column with the text"
        )
        p.add_argument("--out", required=True, metavar="OUT", help=out_help)

    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser(
        "redact",
        help="replace personal data with placeholders",
        formatter_class=fmt,
        description="Adds 'redacted': the text with emails, UK phone numbers, NHS numbers "
        "(modulus 11 checked), postcodes, URLs, dates of birth and personal names replaced by "
        "[EMAIL], [PHONE], [NHS_NUMBER], [POSTCODE], [URL], [DOB] and [NAME].",
    )
    common(p, "output .csv or .xlsx")
    p.set_defaults(func=cmd_redact)

    p = sub.add_parser(
        "duplicates",
        help="group identical and near-identical responses (campaigns)",
        formatter_class=fmt,
        description="Adds 'duplicate_group' (a group number, blank when the response is "
        "unique) and 'campaign' (true for members of a large template group: at least "
        "--campaign-min-size members and a template of 12 words or more). Nothing is dropped.",
    )
    common(p, "output .csv or .xlsx")
    p.add_argument(
        "--threshold",
        type=float,
        default=0.7,
        help="near-duplicate similarity (estimated Jaccard of word 3-grams, default 0.7)",
    )
    p.add_argument("--campaign-min-size", type=int, default=5, help="default 5")
    p.add_argument(
        "--groups", metavar="JSON", help="also write each group's size and template text here"
    )
    p.set_defaults(func=cmd_duplicates)

    p = sub.add_parser(
        "sentiment",
        help="negative / neutral / positive with a score",
        formatter_class=fmt,
        description="Adds 'sentiment' (negative, neutral or positive) and 'sentiment_score' "
        "(from -1 to 1: P(positive) - P(negative)).",
    )
    common(p, "output .csv or .xlsx")
    p.set_defaults(func=cmd_sentiment)

    p = sub.add_parser(
        "classify",
        help="assign themes from a coded sample",
        formatter_class=fmt,
        description="Trains on CODED (column L holds each response's themes separated by "
        "';', blank = none) and writes every column of NEW plus 'predicted' (themes "
        "separated by ';'), 'confidence' (a JSON object theme -> probability) and "
        "'needs_review' (true for low-confidence responses to send to people).",
    )
    p.add_argument("--train", required=True, metavar="CODED", help="coded responses")
    p.add_argument("--predict", required=True, metavar="NEW", help="responses to code")
    p.add_argument("--text-column", required=True, metavar="C", help="text column (both files)")
    p.add_argument("--labels-column", required=True, metavar="L", help="themes column in CODED")
    p.add_argument("--out", required=True, metavar="OUT", help="output .csv or .xlsx")
    p.add_argument(
        "--review-threshold",
        type=float,
        default=0.5,
        help="needs_review when the top confidence is below this (default 0.5)",
    )
    p.add_argument(
        "--suggest",
        type=int,
        default=0,
        metavar="K",
        help="also add 'suggested_rank' 1..K: the responses most worth coding next",
    )
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser(
        "themes",
        help="propose a codeframe (no codes yet)",
        formatter_class=fmt,
        description="Writes OUT.json with 'themes' (id, name, description, keywords, size, "
        "quotes, optional parent for sub-themes) and 'assignments' (one per input row: "
        "'row', the 0-based row number, and 'themes', a list of theme ids, top level first).",
    )
    common(p, "output .json")
    p.add_argument("--n-themes", type=int, default=None, metavar="K", help="number of themes")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    p.set_defaults(func=cmd_themes)

    p = sub.add_parser(
        "evidence",
        help="flag evidence-rich responses",
        formatter_class=fmt,
        description="Adds 'evidence' (true/false), 'evidence_score' and 'evidence_reasons' "
        "(figures, lived_experience, proposal, specifics, comparison).",
    )
    common(p, "output .csv or .xlsx")
    p.add_argument("--threshold", type=float, default=1.0, help="score to flag (default 1.0)")
    p.set_defaults(func=cmd_evidence)

    p = sub.add_parser(
        "pipeline",
        help="redact, duplicates, sentiment, evidence (and classify) in one go",
        formatter_class=fmt,
        description="Adds redacted, duplicate_group, campaign, sentiment, sentiment_score, "
        "evidence and, with --train/--labels-column, predicted, confidence, needs_review. "
        "Later stages see only the redacted text.",
    )
    common(p, "output .csv or .xlsx")
    p.add_argument("--train", metavar="CODED", help="optional coded responses")
    p.add_argument("--labels-column", metavar="L", help="themes column in CODED")
    p.set_defaults(func=cmd_pipeline)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "n_themes", None) is not None and args.n_themes < 1:
        parser.error("--n-themes must be at least 1")
    try:
        out = getattr(args, "out", None)
        if out and args.command != "themes":
            suffix = Path(out).suffix.lower()
            if suffix not in {".csv", ".xlsx"}:
                raise InputError(f"{out}: output must end in .csv or .xlsx")
        return int(args.func(args))
    except InputError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("HEARD_DEBUG"):
            raise
        print(f"{PROG}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
