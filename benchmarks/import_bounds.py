"""Benchmark: how fast hostile uploads are refused by the shared table reader.

The issue's cases: a 1.7 MB XLSX "zip bomb" (took 145 s to upload and 127 s per opening
of its mapping page), a 10,000-column file (made a 22.7 MB page) and a damaged workbook
(gave server errors). Each must be refused within a second, with a message. Prints the
median of several runs of ``read_table`` (what the upload views call) and the message.

    .venv/bin/python benchmarks/import_bounds.py [--repeats 5]
"""

import argparse
import io
import statistics
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from heard.people.imports.reader import UnreadableFile, read_table


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        # 1.5 GB of one repeated cell once expanded.
        row = b"<row>" + b"<c><v>0</v></c>" * 1000 + b"</row>"
        z.writestr("xl/worksheets/sheet1.xml", row * 100_000)
    return out.getvalue()


def wide() -> bytes:
    header = ",".join(f"column {i}" for i in range(10_000))
    return (header + "\n" + ",".join("1" for _ in range(10_000)) + "\n").encode()


def damaged() -> bytes:
    return b"PK\x03\x04" + bytes(range(256)) * 40


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    cases = {
        "zip bomb (.xlsx)": (zip_bomb(), "bomb.xlsx"),
        "10,000 columns (.csv)": (wide(), "wide.csv"),
        "damaged (.xlsx)": (damaged(), "damaged.xlsx"),
    }
    for name, (data, filename) in cases.items():
        times, message = [], ""
        for _ in range(args.repeats):
            start = time.perf_counter()
            try:
                table = read_table(data, filename)
                for _row in table.rows:
                    pass
            except UnreadableFile as exc:
                message = str(exc)
            times.append(time.perf_counter() - start)
        print(
            f"{name:<24} {len(data) / 1024:>9.0f} KB  median {statistics.median(times) * 1000:8.1f} ms"
            f"  (max {max(times) * 1000:.1f})  -> {message or 'NOT REFUSED'}"
        )


if __name__ == "__main__":
    main()
