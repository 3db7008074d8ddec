"""Fit the support threshold of qa/checks/verify.py on the tuning split of the third-party labels.

    python -m eval.fit_factuality [--min-kept 0.90] [--write]

Runs eval/factuality_bench.py's path on the `tune` split (never `blind`) with the threshold at 0, so
every sentence gets its support score and the problem codes of every other check. A sentence is then
kept at threshold t when no other check flags it and its score is at least t. Among thresholds that
keep at least --min-kept of the faithful sentences, the one with the best balanced accuracy is
chosen (the highest of equals), with the threshold capped where the seed calibration
(eval/verify_calibration.py) still keeps 95% of correct citations. Each clause check (polarity,
speaker, actor, certainty) also gets a gate: it runs only on sentences whose aligned passage sentence
holds at least that share of the claim's term weight (qa/checks/claim_checks.py). When no setting
reaches --min-kept, the fit holds today's kept share and maximises balanced accuracy. --write stores
the result in qa/checks/calibration.json with what it was fitted on. The perturbation benchmark
must still hold after a refit: run it.

Every code is fitted too, on the same labels (false alarms first). First its evidence: a code's
flags are evidence of an error when the sentences it flags are errors more often than their sets'
base rates predict, by a margin: at least MIN_LIFT times the errors expected from each flagged
sentence's set's base rate. A code short of that is a note (qa/checks/claim_checks.py's NOTES:
shown with its reason, the sentence stays supported). Then, when the
faithful kept share is still below --min-kept on the pooled tune split or on any set of --each
(default FaithBench, the set written by recent LLMs), other codes may be notes too: every subset
of them is tried, and the one with the best balanced accuracy under the constraint wins (the
fewest notes of equals). The rows are collected with every code a note, so every check runs on
every sentence.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from pathlib import Path

import numpy as np

from qa.checks.claim_checks import ALL_CODES, CLAUSE_CHECKS
from ui.offline import go_offline

GRID = [step / 20 for step in range(21)]  # 0.00, 0.05, ... 1.00
# A gate never goes above 1: a clause check always runs on a sentence that restates the claim whole.
THRESHOLDS = [step / 100 for step in range(101)]
MIN_LIFT = 1.25  # a code's flags must be errors 25% more often than the sets' base rates predict
# the score has its threshold; no citation is never support; markup or a link a passage lacks may
# be planted by a hostile text and is never shown as supported
NEVER_NOTES = ("support", "citation", "markup")


def kept(  # type: ignore[type-arg]
    row: dict, threshold: float, gates: dict[str, float], notes: frozenset[str] = frozenset()
) -> bool:
    """Whether the verifier keeps the row's answer at this threshold, these gates and notes: every
    sentence scores at least the threshold, and its only flags are clause checks gated off or
    notes (`Table.kept`, for one row)."""
    return bool(Table([row]).kept(threshold, gates, notes)[0])


def measure(  # type: ignore[type-arg]
    rows: list[dict],
    threshold: float,
    gates: dict[str, float],
    notes: frozenset[str] = frozenset(),
) -> tuple[float, float]:
    """(faithful kept, errors flagged)."""
    return Table(rows).measure(threshold, gates, notes, np.ones(len(rows), bool))


def evidence(rows: list[dict]) -> dict[str, dict[str, float]]:  # type: ignore[type-arg]
    """Per code: the sentences it flags (errors, faithful), the errors expected among them from
    each one's set's base rate, their lift (observed over expected) and z, the excess over the
    binomial deviation (how far from chance the lift is)."""
    base: dict[str, list[int]] = {}
    for r in rows:
        base.setdefault(r["dataset"], [0, 0])[r["label"]] += 1
    rate = {name: e / (e + f) for name, (e, f) in base.items()}
    out: dict[str, dict[str, float]] = {}
    for code in dict.fromkeys(c for r in rows for s in r["sentences"] for c in s["codes"]):
        flagged = [r for r in rows if any(code in s["codes"] for s in r["sentences"])]
        errors = sum(not r["label"] for r in flagged)
        expected = sum(rate[r["dataset"]] for r in flagged)
        spread = math.sqrt(sum(rate[r["dataset"]] * (1 - rate[r["dataset"]]) for r in flagged))
        out[code] = {
            "errors": errors,
            "faithful": len(flagged) - errors,
            "expected_errors": round(expected, 1),
            "lift": round(errors / expected, 2) if expected else 0.0,
            "z": round((errors - expected) / spread, 2) if spread else 0.0,
        }
    return out


def no_evidence(found: dict[str, dict[str, float]]) -> frozenset[str]:
    """The codes whose flags are not evidence of an error (lift below MIN_LIFT)."""
    return frozenset(c for c, e in found.items() if e["lift"] < MIN_LIFT and c not in NEVER_NOTES)


class Table:
    """The rows as arrays, so that a setting is measured at once: per row its lowest sentence
    score and, per code, the highest alignment of a sentence that code flags (-1: none)."""

    def __init__(self, rows: list[dict]) -> None:  # type: ignore[type-arg]
        self.codes = sorted({c for r in rows for s in r["sentences"] for c in s["codes"]})
        self.label = np.array([bool(r["label"]) for r in rows])
        self.valid = np.array([bool(r["sentences"]) for r in rows])
        self.score = np.array(
            [min((s["score"] for s in r["sentences"]), default=-1.0) for r in rows]
        )
        self.align = np.full((len(rows), len(self.codes)), -1.0)
        for i, r in enumerate(rows):
            for s in r["sentences"]:
                for c in s["codes"]:
                    k = self.codes.index(c)
                    self.align[i, k] = max(self.align[i, k], s["alignment"] or 0.0)

    def kept(self, threshold: float, gates: dict[str, float], notes: frozenset[str]) -> np.ndarray:
        """`kept` for every row."""
        floor = np.array(
            [
                np.inf if c in notes else gates.get(c, 0.0) if c in CLAUSE_CHECKS else 0.0
                for c in self.codes
            ]
        )
        blocked = (
            (self.align >= floor).any(axis=1) if self.codes else np.zeros(len(self.label), bool)
        )
        return self.valid & ~blocked & (self.score >= threshold)

    def measure(
        self, threshold: float, gates: dict[str, float], notes: frozenset[str], rows: np.ndarray
    ) -> tuple[float, float]:
        """(faithful kept, errors flagged) among the rows selected by the mask `rows`."""
        kept = self.kept(threshold, gates, notes)[rows]
        label = self.label[rows]
        return float(kept[label].mean()) if label.any() else 0.0, (
            float((~kept[~label]).mean()) if (~label).any() else 0.0
        )


def fit(  # type: ignore[type-arg]
    rows: list[dict],
    min_kept: float,
    max_threshold: float = 1.0,
    gated: tuple[str, ...] = CLAUSE_CHECKS,
    notes: frozenset[str] = frozenset(),
    each: tuple[str, ...] = (),
    may_note: tuple[str, ...] = (),
) -> tuple[float, dict[str, float], frozenset[str], float, float] | None:
    """(threshold, gates, notes, faithful kept, errors flagged) with the best balanced accuracy
    among settings keeping at least `min_kept` of the faithful sentences, pooled and in each set of
    `each`, or, where none can, at least as many as every check on with no threshold does (false
    alarms first: a fit never adds any); None when nothing qualifies. `notes` are notes from the
    start; any subset of `may_note` may be notes too: every subset is tried (the fewest notes of
    equals win), each with a coordinate ascent from "no threshold, every gate open" that tries
    every grid value of the threshold and of each clause check's gate in turn, keeping a change
    only when it helps."""
    table = Table(rows)
    masks = {"all": np.ones(len(rows), bool)}
    masks |= {name: np.array([r["dataset"] == name for r in rows]) for name in each}
    widest = notes | frozenset(may_note)
    goals = {}
    for name, mask in masks.items():
        reach = table.measure(0.0, {c: 1.0 for c in gated}, widest, mask)[0]
        # the goal is out of reach: hold today's share
        goals[name] = min_kept if reach >= min_kept else table.measure(0.0, {}, notes, mask)[0]

    def value(t: float, g: dict[str, float], n: frozenset[str]) -> float:
        k, f = table.measure(t, g, n, masks["all"])
        short = min(table.measure(t, g, n, m)[0] - goals[name] for name, m in masks.items())
        return (k + f) / 2 if short >= 0 else -1.0 + short  # infeasible: climb towards the goals

    found: tuple[float, float, dict[str, float], frozenset[str]] | None = None
    for size in range(len(may_note) + 1):
        for extra in itertools.combinations(may_note, size):
            n = notes | frozenset(extra)
            threshold, gates = 0.0, {code: 0.0 for code in CLAUSE_CHECKS}
            best = value(threshold, gates, n)
            for _ in range(4):
                improved = False
                for t in (t for t in THRESHOLDS if t <= max_threshold):
                    v = value(t, gates, n)
                    if v > best or (v == best and t > threshold):  # the highest of equals
                        improved = improved or v > best
                        best, threshold = v, t
                for code in gated:
                    for g in GRID:
                        trial = {**gates, code: g}
                        if (v := value(threshold, trial, n)) > best:
                            best, gates, improved = v, trial, True
                if not improved:
                    break
            if best >= 0 and (found is None or best > found[0]):
                found = (best, threshold, gates, n)
    if found is None:
        return None
    _, threshold, gates, n = found
    k, f = table.measure(threshold, gates, n, masks["all"])
    return threshold, gates, n, k, f


def seed_ceiling(min_kept: float = 0.95) -> float:
    """The highest threshold that keeps `min_kept` of the seed calibration's correct citations
    (eval/verify_calibration.py's positive pairs, scored with verify.py's weights)."""
    import tempfile

    from eval.questions import SEED_QUESTIONS, load_questions
    from eval.verify_calibration import build_pairs
    from qa.checks.verify import support_score
    from qa.engine import Engine
    from qa.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.from_settings(Settings(data_dir=Path(tmp)))
        try:
            engine.ingest_paths([Path("seeds")])
            pairs = build_pairs(engine, load_questions(SEED_QUESTIONS).questions)
        finally:
            engine.close()
    scores = sorted(support_score(p.lexical, p.cosine) for p in pairs if p.positive)
    # the largest t with at least min_kept of the scores >= t, floored to the grid
    t = scores[int(len(scores) * (1 - min_kept))]
    return max((g for g in THRESHOLDS if g <= t), default=0.0)


def collect(records: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    """The bench's rows with no threshold and every clause check on, whatever its alignment, every
    code a note (so no rule's flag stops the claim checks: each sentence gets every code)."""
    from eval.factuality_bench import build_engine, ingest, run
    from eval.perf_common import fake_openai

    FakeOpenAI = fake_openai().FakeOpenAI

    rows: list[dict] = []  # type: ignore[type-arg]
    with FakeOpenAI() as fake:
        engine = build_engine(fake.url, "repeater", "tune")
        try:
            ingest(engine, records)
            engine.warm_up()
            gates = {c: 0.0 for c in CLAUSE_CHECKS}
            run(engine, fake, records, False, rows, 0.0, gates, notes=frozenset(ALL_CODES))
        finally:
            engine.close()
    return rows


def main() -> None:
    go_offline()
    from eval.factuality_bench import load
    from qa.checks.verify import CALIBRATION

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-kept", type=float, default=0.90)
    parser.add_argument("--write", action="store_true", help=f"write {CALIBRATION}")
    parser.add_argument("--dump", type=Path, help="the rows fitted on, one JSON line each")
    parser.add_argument("--rows", type=Path, help="fit on rows dumped before (no re-run)")
    parser.add_argument(
        "--gate",
        nargs="*",
        choices=CLAUSE_CHECKS,
        default=list(CLAUSE_CHECKS),
        help="clause checks whose alignment gate may be fitted (default all: below its gate a "
        "clause check's flag is a note, so a sentence restating one passage sentence is still "
        "held to it while a loose summary is not)",
    )
    parser.add_argument(
        "--each",
        nargs="*",
        default=["faithbench"],
        help="sets that must each keep --min-kept of their faithful sentences too",
    )
    args = parser.parse_args()
    records = load("tune", None)
    rows: list[dict] = []  # type: ignore[type-arg]
    if args.rows:
        rows = [json.loads(line) for line in args.rows.read_text().splitlines() if line.strip()]
    else:
        rows = collect(records)
    if not any(r["label"] for r in rows):
        raise SystemExit("no faithful sentences in the tuning split")
    if args.dump:
        args.dump.write_text("".join(json.dumps(row) + "\n" for row in rows))
    before = measure(rows, 0.0, {})
    print(
        f"every check on, no threshold: faithful kept {before[0]:.3f}, errors flagged {before[1]:.3f}"
    )
    gated = tuple(args.gate)
    found_evidence = evidence(rows)
    forced = no_evidence(found_evidence)
    print(f"evidence per code (errors over the sets' base rates; notes below lift {MIN_LIFT}):")
    for code, e in sorted(found_evidence.items(), key=lambda kv: kv[1]["lift"]):
        print(
            f"  {code:10s} flags {e['errors']:4.0f} errors, {e['faithful']:4.0f} faithful; "
            f"expected errors {e['expected_errors']:6.1f}; lift {e['lift']:5.2f}; z {e['z']:6.2f}"
            + ("  -> note" if code in forced else "")
        )
    may_note = tuple(c for c in ALL_CODES if c not in NEVER_NOTES and c not in forced)
    ceiling = seed_ceiling()
    print(f"the seed calibration keeps 95% of correct citations up to threshold {ceiling:.2f}")
    each = tuple(args.each)
    found = fit(rows, args.min_kept, ceiling, gated, forced, each, may_note)
    if found is None:
        raise SystemExit(
            f"no setting keeps {args.min_kept:.0%} of the faithful sentences; nothing written"
        )
    threshold, gates, notes, k, f = found
    sets = sorted({r["dataset"] for r in rows})
    print(
        f"threshold {threshold:.2f}, clause checks run from alignment {gates}, notes "
        f"{sorted(notes)}: faithful kept {k:.3f}, errors flagged {f:.3f}, balanced accuracy "
        f"{(k + f) / 2:.3f} on {len(rows)} tune sentences ({', '.join(sets)})"
    )
    for name in each:
        ks, fs = measure([r for r in rows if r["dataset"] == name], threshold, gates, notes)
        print(f"  {name}: faithful kept {ks:.3f}, errors flagged {fs:.3f}, BA {(ks + fs) / 2:.3f}")
    if args.write:
        fitted = {
            "supported": threshold,
            "min_alignment": gates,
            "notes": sorted(notes),
            "fitted_by": "python -m eval.fit_factuality --write",
            "fitted_on": f"tune split of {', '.join(sets)}: {len(rows)} sentences",
            "min_faithful_kept": args.min_kept,
            "min_faithful_kept_in": ["all", *each],
            "faithful_kept": round(k, 4),
            "errors_flagged": round(f, 4),
            "evidence": found_evidence,
        }
        CALIBRATION.write_text(json.dumps(fitted, indent=2) + "\n")
        print(f"wrote {CALIBRATION}")


if __name__ == "__main__":
    main()
