"""Run every benchmark in bench/ and print one table (`make bench`).

A benchmark is a module `bench/bench_<topic>.py` with a function `run() -> list[Row]`
(bench/harness.py). Each row compares what satupintu does (`measured`) with a baseline doing the
same work without the feature under test, so the ratio is the feature's cost on this machine.

    python bench/run.py             # all benchmarks
    python bench/run.py changelog   # only the modules whose name contains "changelog"
"""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from harness import Row, setup_django  # noqa: E402


def discover(selection: list[str]) -> list[str]:
    names = sorted(path.stem for path in BENCH_DIR.glob("bench_*.py"))
    if selection:
        names = [name for name in names if any(word in name for word in selection)]
    return names


def format_number(value: float) -> str:
    """Three significant digits for small values (0.0312 s), whole numbers for large ones."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def format_table(rows: list[Row]) -> str:
    header = ("benchmark", "measured", "baseline", "ratio", "unit", "note")
    lines = [
        (
            row.name,
            format_number(row.measured),
            format_number(row.baseline),
            f"{row.ratio:.3g}×",
            row.unit,
            row.note,
        )
        for row in rows
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]
    numeric = {1, 2, 3}

    def render(cells) -> str:
        return "  ".join(
            str(cell).rjust(width) if index in numeric else str(cell).ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([render(header), rule, *(render(line) for line in lines)])


def main(argv: list[str]) -> int:
    modules = discover(argv[1:])
    if not modules:
        print("Tidak ada benchmark yang cocok (bench/bench_*.py).")
        return 1
    var_dir = setup_django()
    rows: list[Row] = []
    try:
        for name in modules:
            print(f"… {name}", file=sys.stderr, flush=True)
            rows.extend(importlib.import_module(name).run())
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
