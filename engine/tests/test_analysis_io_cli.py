from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from heard_analysis.cli import main
from heard_analysis.io import InputError, read_table

ROWS = 'id,comment,extra\n007,"Dr Smith was great, call 07700 900123",\n008,,keep\n009,Nothing,x\n'


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_read_keeps_strings_and_blanks(tmp_path: Path) -> None:
    df = read_table(write(tmp_path / "a.csv", ROWS))
    assert df["id"].tolist() == ["007", "008", "009"]
    assert df["comment"][1] == ""
    assert df["extra"].tolist() == ["", "keep", "x"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "e.csv", "id,comment\n1,café – £5 “quoted”\n", encoding)
    df = read_table(path)
    assert list(df.columns) == ["id", "comment"]
    assert df["comment"][0] == "café – £5 “quoted”"


def test_bad_encoding_and_empty(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="encoding"):
        read_table(write(tmp_path / "b.csv", "") if False else _binary(tmp_path))
    with pytest.raises(InputError, match="empty"):
        read_table(write(tmp_path / "empty.csv", ""))
    with pytest.raises(InputError, match="not found"):
        read_table(tmp_path / "missing.csv")


def _binary(tmp_path: Path) -> Path:
    p = tmp_path / "bin.csv"
    p.write_bytes(b"id,c\n\x81\x8d\x8f\x90\x00\n")
    return p


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def test_redact_cli_keeps_columns_and_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "a.csv", ROWS)
    out = tmp_path / "o.csv"
    code, _ = run(
        ["redact", "--input", str(src), "--text-column", "comment", "--out", str(out)], capsys
    )
    assert code == 0
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(df.columns) == ["id", "comment", "extra", "redacted"]
    assert df["id"].tolist() == ["007", "008", "009"]
    assert df["redacted"].tolist() == ["Dr [NAME] was great, call [PHONE]", "", "Nothing"]


def test_xlsx_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a.xlsx"
    pd.DataFrame({"id": ["007", "008"], "comment": ["Awful wait, rude staff", ""]}).to_excel(
        src, index=False
    )
    out = tmp_path / "o.xlsx"
    code, _ = run(
        ["sentiment", "--input", str(src), "--text-column", "comment", "--out", str(out)], capsys
    )
    assert code == 0
    df = pd.read_excel(out, dtype=str, keep_default_na=False)
    assert df["id"].tolist() == ["007", "008"]
    assert df["sentiment"].tolist() == ["negative", "neutral"]
    assert -1 <= float(df["sentiment_score"][0]) < 0


def test_missing_column_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "a.csv", ROWS)
    code, err = run(
        ["redact", "--input", str(src), "--text-column", "nope", "--out", str(tmp_path / "o.csv")],
        capsys,
    )
    assert code == 2
    assert "no column 'nope'" in err and "'comment'" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"", "empty"), (b"id,c\n\x81\x8d\x8f\x90\x00\n", "encoding")],
)
def test_input_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, needle: str
) -> None:
    src = tmp_path / "x.csv"
    src.write_bytes(content)
    for cmd in ["redact", "duplicates", "themes"]:
        out = tmp_path / ("o.json" if cmd == "themes" else "o.csv")
        code, err = run([cmd, "--input", str(src), "--text-column", "c", "--out", str(out)], capsys)
        assert code == 2
        assert needle in err
        assert "Traceback" not in err


def test_unreadable_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "bad.xlsx"
    src.write_bytes(b"this is not a zip file")
    code, err = run(
        ["redact", "--input", str(src), "--text-column", "c", "--out", str(tmp_path / "o.csv")],
        capsys,
    )
    assert code == 2 and "Excel" in err


def test_duplicates_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tmpl = "I object to the closure of the minor injuries unit because the next one is twenty miles away by bus"
    rows = (
        ["id,comment"]
        + [f'{i},"{tmpl}"' for i in range(6)]
        + ['6,"' + tmpl + ' and I have no car"', "7,Unique comment here", "8,"]
    )
    src = write(tmp_path / "d.csv", "\n".join(rows) + "\n")
    out = tmp_path / "o.csv"
    groups = tmp_path / "g.json"
    code, _ = run(
        [
            "duplicates",
            "--input",
            str(src),
            "--text-column",
            "comment",
            "--out",
            str(out),
            "--groups",
            str(groups),
        ],
        capsys,
    )
    assert code == 0
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert df["duplicate_group"].tolist() == ["1"] * 7 + ["", ""]
    assert df["campaign"].tolist() == ["true"] * 7 + ["false", "false"]
    g = json.loads(groups.read_text())["groups"][0]
    assert g["size"] == 7 and g["template"] == tmpl


def test_classify_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    coded = ["text,themes"]
    for i in range(15):
        coded.append(f"The food was cold and bland {i},Food")
        coded.append(f"Parking was expensive and full {i},Parking")
        coded.append(f"Cold food and no parking spaces {i},Food;Parking")
        coded.append(f"Lovely nurses {i},")
    train = write(tmp_path / "train.csv", "\n".join(coded) + "\n")
    new = write(
        tmp_path / "new.csv",
        "id,text\n01,the food was cold\n02,parking was full and expensive\n03,\n",
    )
    out = tmp_path / "p.csv"
    code, _ = run(
        [
            "classify",
            "--train",
            str(train),
            "--predict",
            str(new),
            "--text-column",
            "text",
            "--labels-column",
            "themes",
            "--out",
            str(out),
        ],
        capsys,
    )
    assert code == 0
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(df.columns)[:4] == ["id", "text", "predicted", "confidence"]
    assert df["id"].tolist() == ["01", "02", "03"]
    assert df["predicted"][0].split(";")[0] == "Food"
    assert "Parking" in df["predicted"][1].split(";")
    assert df["predicted"][2] == ""
    conf = json.loads(df["confidence"][0])
    assert set(conf) == {"Food", "Parking"}
    assert all(0 <= v <= 1 for v in conf.values())


def test_classify_cli_gives_themes_back_as_the_coded_file_spells_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # single-label codes, one of them with a trailing space (as the development data's
    # "Medication "), and a blank answer (a "None" lost on export) coded by people
    coded = ["text,code"]
    for i in range(15):
        coded.append(f"My tablets were late again {i},Medication ")
        coded.append(f"The nurses were lovely {i},Staff")
        coded.append(f'Parking was full {i},"  Parking"')
    coded += [",Nothing"] * 3
    train = write(tmp_path / "train.csv", "\n".join(coded) + "\n")
    new = write(tmp_path / "new.csv", "id,text\n1,my tablets were late\n2,\n3,lovely nurses\n")
    out = tmp_path / "p.csv"
    argv = ["classify", "--train", str(train), "--predict", str(new), "--text-column", "text"]
    code, _ = run([*argv, "--labels-column", "code", "--out", str(out)], capsys)
    assert code == 0
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert df["predicted"].tolist() == ["Medication ", "Nothing", "Staff"]
    assert set(json.loads(df["confidence"][0])) == {"Medication ", "Staff", "  Parking"}
    blank = {"Nothing": 1.0, "Medication ": 0.0, "Staff": 0.0, "  Parking": 0.0}
    assert json.loads(df["confidence"][1]) == blank


def test_themes_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["comment"]
    for i in range(20):
        lines += [
            f"the food was cold {i}",
            f"parking is too expensive {i}",
            f"nurses were kind and caring {i}",
        ]
    lines.append('""')
    src = write(tmp_path / "t.csv", "\n".join(lines) + "\n")
    out = tmp_path / "t.json"
    code, _ = run(
        [
            "themes",
            "--input",
            str(src),
            "--text-column",
            "comment",
            "--out",
            str(out),
            "--n-themes",
            "3",
            "--seed",
            "1",
        ],
        capsys,
    )
    assert code == 0
    data = json.loads(out.read_text())
    top = [t for t in data["themes"] if "parent" not in t]
    assert len(top) == 3
    assert {"id", "name", "description", "keywords", "size", "quotes"} <= set(top[0])
    assert len(data["assignments"]) == 61
    assert data["assignments"][0]["row"] == 0
    assert data["assignments"][-1]["themes"] == []
    # the three topics are separated
    first = {data["assignments"][i]["themes"][0] for i in range(0, 60, 3)}
    assert len(first) == 1


def test_help_lists_commands() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "heard_analysis.cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0
    for cmd in ["classify", "themes", "sentiment", "duplicates", "redact"]:
        assert cmd in res.stdout
    res = subprocess.run(
        [sys.executable, "-m", "heard_analysis.cli", "classify", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "--labels-column" in res.stdout and "confidence" in res.stdout
