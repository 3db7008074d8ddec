"""Calibrate the citation checker (qa/checks/verify.py) on the seed question set. Prints its figures.

    python -m eval.verify_calibration

Claims come from eval/data/seed_questions.jsonl: each answerable question's reference answer (for fact
questions, the question with its short answer, which reads like an answer sentence) and the article
sentence holding its evidence (what a model that copies would write). A claim cited to the passages
holding its evidence is a positive; the same claim cited to a passage from another section is a
negative (the "citation points at the wrong passage" failure). The grid search picks the weights
that keep at least 95% of positives and reject the most negatives; verify.py's constants are set
from its output by hand, and the line "current constants" shows how they do.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ui.offline import go_offline


@dataclass(frozen=True)
class Pair:
    claim: str
    positive: bool
    lexical: float
    cosine: float | None
    kept: bool | None = None  # positives: the full verifier (score, rules, claim checks) keeps it
    why: tuple[str, ...] = ()  # its reasons when it does not


def build_pairs(engine, questions) -> list[Pair]:  # type: ignore[no-untyped-def]
    from eval.scoring import squash
    from qa.checks.verify import Checker, pair_signals, verify
    from qa.types import Passage

    stored = [s.chunk for s in engine.store.iter_chunks()]
    vectors = engine.retriever.sentence_vectors(stored)
    passages = [Passage(c, 0.0, sentence_vectors=vectors.get(c.id)) for c in stored]
    bm25 = engine.retriever.bm25()
    checker = Checker(bm25.analyse, bm25.idf, engine.embedder.embed)
    pairs: list[Pair] = []
    for q in questions:
        if not q.answerable or not q.evidence:
            continue
        holding = [
            next((p for p in passages if squash(e) in squash(p.text)), None) for e in q.evidence
        ]
        group = list({p.chunk.id: p for p in holding if p is not None}.values())
        if not group:
            continue
        sections = {p.chunk.section for p in group}
        others = [p for p in passages if p.chunk.section not in sections]
        first = group[0].chunk
        sentence = next(
            first.text[a - first.start : b - first.start]
            for a, b in first.sentences
            if squash(q.evidence[0]) in squash(first.text[a - first.start : b - first.start])
            or (a, b) == first.sentences[-1]
        )
        reference = q.answer if q.type == "section" else f"{q.question} {q.answer}"
        for claim in (reference, sentence):
            kept, why = None, ()  # a fact question with its short answer is no answer sentence
            if claim is sentence or q.type == "section":
                cited = "".join(f"[{n}]" for n in range(1, len(group) + 1))
                checked = verify(f"{claim} {cited}", group, checker)
                kept = bool(checked.sentences) and all(s.supported for s in checked.sentences)
                why = tuple(p.reason for s in checked.sentences for p in s.problems)
            pairs.append(Pair(claim, True, *pair_signals(claim, group, checker), kept, why))
            for other in others:
                pairs.append(Pair(claim, False, *pair_signals(claim, [other], checker)))
    return pairs


def rates(pairs: list[Pair], w: float, floor: float, span: float, threshold: float):  # type: ignore[no-untyped-def]
    scores = np.array(
        [
            p.lexical
            if p.cosine is None
            else w * p.lexical + (1 - w) * np.clip((p.cosine - floor) / span, 0, 1)
            for p in pairs
        ]
    )
    positive = np.array([p.positive for p in pairs])
    kept = float(np.mean(scores[positive] >= threshold))
    rejected = float(np.mean(scores[~positive] < threshold))
    return kept, rejected


def main() -> None:
    go_offline()
    from eval.questions import SEED_QUESTIONS, load_questions
    from qa.checks import verify
    from qa.engine import Engine
    from qa.settings import Settings

    parser = argparse.ArgumentParser()
    parser.add_argument("--min-kept", type=float, default=0.95, help="share of positives to keep")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.from_settings(Settings(data_dir=Path(tmp)))
        engine.ingest_paths([Path("seeds")])
        pairs = build_pairs(engine, load_questions(SEED_QUESTIONS).questions)
        engine.close()

    n_pos = sum(p.positive for p in pairs)
    print(f"pairs: {n_pos} positive, {len(pairs) - n_pos} negative (seed question set)")
    best = None
    grid = itertools.product(
        (0.3, 0.4, 0.5, 0.6, 0.7), (0.1, 0.15, 0.2, 0.25, 0.3), (0.4, 0.5, 0.6)
    )
    for w, floor, span in grid:
        for threshold in np.arange(0.2, 0.81, 0.01):
            kept, rejected = rates(pairs, w, floor, span, float(threshold))
            if kept >= args.min_kept and (best is None or rejected > best[0]):
                best = (rejected, kept, w, floor, span, round(float(threshold), 2))
    if best:
        rejected, kept, w, floor, span, threshold = best
        print(
            f"best with >= {args.min_kept:.0%} positives kept: W_LEXICAL={w} COSINE_FLOOR={floor} "
            f"COSINE_SPAN={span} SUPPORTED={threshold}: kept {kept:.3f}, rejected {rejected:.3f}"
        )
    kept, rejected = rates(
        pairs, verify.W_LEXICAL, verify.COSINE_FLOOR, verify.COSINE_SPAN, verify.SUPPORTED
    )
    print(
        f"current constants (W_LEXICAL={verify.W_LEXICAL}, COSINE_FLOOR={verify.COSINE_FLOOR}, "
        f"COSINE_SPAN={verify.COSINE_SPAN}, SUPPORTED={verify.SUPPORTED}): "
        f"positives kept {kept:.3f}, negatives rejected {rejected:.3f}"
    )
    positives = [p for p in pairs if p.positive and p.kept is not None]
    full = sum(bool(p.kept) for p in positives)
    print(
        f"full verifier (score, rules and claim checks) keeps {full / len(positives):.3f} "
        f"({full}/{len(positives)}) of the positives that are sentences (evidence sentences and "
        "section answers; fact questions joined to their short answers are left out)"
    )
    for p in positives:
        if not p.kept:
            print(f"  not kept: {p.claim} ({'; '.join(p.why)})")
    for name, only in (("lexical only", 1.0), ("embedding only", 0.0)):
        thresholds = np.arange(0.05, 0.96, 0.01)
        options = [(rates(pairs, only, 0.2, 0.5, float(t)), t) for t in thresholds]
        fit = [(r, k, t) for (k, r), t in options if k >= args.min_kept]
        if fit:
            r, k, t = max(fit)
            print(f"{name}: at threshold {t:.2f} kept {k:.3f}, rejected {r:.3f}")


if __name__ == "__main__":
    main()
