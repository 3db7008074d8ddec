"""FaithBench (Bao et al., NAACL 2025) as per-sentence labels for eval/factuality_bench.py.

github:vectara/FaithBench, `data_for_release/batch_*.json` (CC BY-NC-SA 4.0: the texts stay in the
git-ignored eval/local/factuality/, never committed). 750 summaries of 75 passages (news, and
Wikipedia-style paragraphs), written in 2024 by ten LLMs (GPT-4o, GPT-3.5-Turbo, Claude 3.5 Sonnet,
Gemini 1.5 Flash, Llama 3.1 8B/70B, Mistral 7B, Qwen2.5 7B, Phi-3-mini, Command R). The samples
were picked where hallucination detectors disagree, so they are hard by design. Annotators marked
spans of a summary as Unwanted (Intrinsic: the passage says otherwise; Extrinsic: the passage does
not say it), Questionable (arguable) or Benign (not in the passage but true and harmless).

How a summary sentence is labelled (our choices; the authors binarise whole summaries in
scripts/binarize.py):
- **error** when any annotator's Unwanted span overlaps it: their release takes the worst label
  over annotators too, and annotators who found nothing leave no record, so a majority over
  annotators cannot be counted. Its error types are `intrinsic` / `extrinsic` from the span's
  label (`unwanted` when untyped).
- **left out** when its only marks are Questionable: the annotators themselves could not decide,
  so it is neither a faithful sentence nor an error to count.
- **faithful** when nothing or only Benign overlaps it (Benign is not a factual error to the
  annotators; binarize.py counts it as consistent too). A summary with no annotation at all is
  consistent, as in binarize.py.
- a sentence ending with ":" ("Here is a summary of the passage:") introduces what follows and
  states nothing: left out.
Sentences are cut with the project's own splitter (index/sentences.py, line by line, list markers
such as "1." left out), the one the verifier's input goes through, so a labelled unit is a unit
the checks see.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from index.sentences import split_sentences

UNWANTED = {"Unwanted", "Unwanted.Intrinsic", "Unwanted.Extrinsic"}
# A list item's marker ("1. ", "- ", "* ", "• "): the splitter would make "1." a sentence of its own
_LIST_MARKER = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+")


@dataclass(frozen=True)
class Mark:
    """One annotator's span on a summary."""

    start: int
    end: int
    labels: frozenset[str]
    annotator: str


@dataclass(frozen=True)
class LabelledSentence:
    text: str
    label: int  # 1 faithful, 0 error
    errors: tuple[str, ...]  # intrinsic / extrinsic / unwanted, for an error
    annotators: int  # annotators marking it Unwanted


def line_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a summary, offsets into it: each line is split on its own, after its
    list marker, if any."""
    spans: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        marker = _LIST_MARKER.match(line)
        skip = marker.end() if marker else 0
        for a, b in split_sentences(line[skip:]):
            if text[start + skip + a : start + skip + b].strip():
                spans.append((start + skip + a, start + skip + b))
        start += len(line) + 1
    return spans


def error_types(marks: Sequence[Mark]) -> tuple[str, ...]:
    kinds = set()
    for mark in marks:
        if "Unwanted.Intrinsic" in mark.labels:
            kinds.add("intrinsic")
        if "Unwanted.Extrinsic" in mark.labels:
            kinds.add("extrinsic")
        if not mark.labels & {"Unwanted.Intrinsic", "Unwanted.Extrinsic"}:
            kinds.add("unwanted")
    return tuple(sorted(kinds))


def label_sentences(summary: str, marks: Sequence[Mark]) -> list[LabelledSentence]:
    """The labelled sentences of one summary (rules in the module's docstring)."""
    out = []
    for a, b in line_sentences(summary):
        text = summary[a:b].strip()
        if text.endswith(":"):
            continue
        over = [m for m in marks if m.start < b and m.end > a]
        unwanted = [m for m in over if m.labels & UNWANTED]
        if unwanted:
            annotators = len({m.annotator for m in unwanted})
            out.append(LabelledSentence(text, 0, error_types(unwanted), annotators))
        elif any("Questionable" in m.labels for m in over):
            continue
        else:
            out.append(LabelledSentence(text, 1, (), 0))
    return out


def marks_of(sample: dict) -> list[Mark]:  # type: ignore[type-arg]
    return [
        Mark(a["summary_start"], a["summary_end"], frozenset(a["label"]), a["annotator_id"])
        for a in sample.get("annotations") or []
    ]


def batches(mirror: Path) -> list[dict]:  # type: ignore[type-arg]
    """Every sample of `data_for_release/batch_*.json` at the mirror's HEAD."""
    listed = subprocess.run(
        ["git", "-C", str(mirror), "ls-tree", "--name-only", "HEAD", "data_for_release/"],
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode:
        raise SystemExit(f"{mirror}: not a FaithBench git directory: {listed.stderr.strip()}")
    paths = sorted(p for p in listed.stdout.split() if p.endswith(".json"))
    if not paths:
        raise SystemExit(f"{mirror}: no data_for_release/batch_*.json at HEAD")
    samples = []
    for path in paths:
        shown = subprocess.run(
            ["git", "-C", str(mirror), "show", f"HEAD:{path}"], capture_output=True, check=True
        )
        samples.extend(json.loads(shown.stdout)["samples"])
    return samples
