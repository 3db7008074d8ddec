"""Relative-date resolution accuracy on eval/data/date_labels.jsonl: `python -m eval.date_bench`.

Each label is a real Wikinews sentence, its article's publication date, a date expression in it and
the resolution written by reading the article (None: the words are not a date, e.g. "a 2000 year old
tradition"). A label counts as right when index/news/dates.py resolves the mention that overlaps the
labelled words to exactly the expected ISO form (day, range, month or year), or finds no date there
when None is expected.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from index.news.dates import resolve_dates

LABELS = Path(__file__).resolve().parent / "data" / "date_labels.jsonl"
RELATIVE = ("day", "week", "yesterday", "today", "tonight", "tomorrow", "ago", "month", "year", "last",
            "this", "next", "past")  # fmt: skip


def load_labels(path: Path = LABELS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def resolved_for(label: dict[str, Any]) -> str | None:
    sentence, text = label["sentence"], label["text"]
    at = sentence.find(text)
    start, end = at, at + len(text)
    for mention in resolve_dates(sentence, label["published"]):
        if mention.start < end and start < mention.end:
            return mention.iso()
    return None


def is_relative(label: dict[str, Any]) -> bool:
    """Needs the publication date to resolve: a weekday, "yesterday", "last week", a month alone."""
    has_year = any(ch.isdigit() for ch in label["text"]) and len(label["text"].split("-")[0]) >= 4
    return not has_year or any(w in label["text"].lower().split() for w in RELATIVE)


def accuracy(labels: list[dict[str, Any]]) -> dict[str, Any]:
    right = Counter[str]()
    total = Counter[str]()
    wrong: list[str] = []
    for label in labels:
        got = resolved_for(label)
        group = "relative" if is_relative(label) else "absolute"
        total[group] += 1
        if got == label["expected"]:
            right[group] += 1
        else:
            wrong.append(
                f"  {label['published']} «{label['text']}» expected {label['expected']} got {got}"
            )
    n, ok = sum(total.values()), sum(right.values())
    return {
        "labels": n,
        "accuracy": ok / n if n else float("nan"),
        "relative": (right["relative"], total["relative"]),
        "absolute": (right["absolute"], total["absolute"]),
        "wrong": wrong,
    }


def main() -> int:
    result = accuracy(load_labels())
    rel_ok, rel_n = result["relative"]
    abs_ok, abs_n = result["absolute"]
    print(f"date resolution: {result['accuracy']:.1%} of {result['labels']} labelled dates")
    print(
        f"  relative (need the publication date): {rel_ok}/{rel_n} = {rel_ok / max(rel_n, 1):.1%}"
    )
    print(f"  absolute (carry their year): {abs_ok}/{abs_n} = {abs_ok / max(abs_n, 1):.1%}")
    if result["wrong"]:
        print("wrong:")
        print("\n".join(result["wrong"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
