"""The bench's table: each measure beside its baseline from the same run, the ratio and the target."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class Row:
    measure: str
    ours: str
    baseline: str = "-"
    ratio: float | None = None
    #: "<= 1.3", ">= 3", "< 2 s" ... or "" when the row only informs.
    target: str = ""
    passed: bool | None = None  # None: no verdict (informative, or no baseline)
    note: str = ""

    @property
    def result(self) -> str:
        if self.passed is None:
            return "NO BASELINE" if self.target else ""
        return "PASS" if self.passed else "FAIL"


def judge(ratio: float | None, target: str) -> bool | None:
    """Whether `ratio` meets a target written as '<= x', '>= x' or '< x'."""
    if ratio is None or not target:
        return None
    op, _, number = target.partition(" ")
    limit = float(number.rstrip("×x s"))
    return {"<=": ratio <= limit, ">=": ratio >= limit, "<": ratio < limit, ">": ratio > limit}[op]


def table(rows: Iterable[Row]) -> str:
    header = ("measure", "ours", "baseline", "ratio", "target", "result")
    lines = [
        (r.measure, r.ours, r.baseline, "-" if r.ratio is None else f"{r.ratio:.2f}×", r.target or "-", r.result)
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=False)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False))]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=False)).rstrip() for line in lines]
    return "\n".join(out)
