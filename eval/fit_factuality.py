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
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from qa.checks.claim_checks import CLAUSE_CHECKS
from ui.offline import go_offline

GRID = [step / 20 for step in range(21)]  # 0.00, 0.05, ... 1.00
# A gate never goes above 1: a clause check always runs on a sentence that restates the claim whole.
THRESHOLDS = [step / 100 for step in range(101)]


def kept(row: dict, threshold: float, gates: dict[str, float]) -> bool:  # type: ignore[type-arg]
    """Whether the verifier keeps the row's answer at this threshold and these gates: every
    sentence scores at least the threshold, and its only flags are clause checks gated off."""
    if not row["sentences"]:
        return False
    for sentence in row["sentences"]:
        if sentence["score"] < threshold:
            return False
        alignment = sentence["alignment"] or 0.0
        for code in sentence["codes"]:
            if code not in CLAUSE_CHECKS or alignment >= gates.get(code, 0.0):
                return False
    return True


def measure(rows: list[dict], threshold: float, gates: dict[str, float]) -> tuple[float, float]:  # type: ignore[type-arg]
    """(faithful kept, errors flagged)."""
    faithful = [r for r in rows if r["label"]]
    errors = [r for r in rows if not r["label"]]
    k = sum(kept(r, threshold, gates) for r in faithful) / max(len(faithful), 1)
    f = sum(not kept(r, threshold, gates) for r in errors) / max(len(errors), 1)
    return k, f


def fit(  # type: ignore[type-arg]
    rows: list[dict],
    min_kept: float,
    max_threshold: float = 1.0,
    gated: tuple[str, ...] = CLAUSE_CHECKS,
) -> tuple[float, dict[str, float], float, float] | None:
    """(threshold, gates, faithful kept, errors flagged) with the best balanced accuracy among
    settings keeping at least `min_kept` of the faithful sentences, or, when none can, at least as
    many as every check on with no threshold does (false alarms first: a fit never adds any); None
    when nothing qualifies. Coordinate ascent from "every check on, no threshold": each round tries
    every grid value of the threshold and of each clause check's gate in turn, keeping a change only
    when it helps."""
    if measure(rows, 0.0, {c: 1.0 for c in gated})[0] < min_kept:
        min_kept = measure(rows, 0.0, {})[0]  # the goal is out of reach: hold today's share

    def value(t: float, g: dict[str, float]) -> float:
        k, f = measure(rows, t, g)
        return (k + f) / 2 if k >= min_kept else -1.0 + k  # infeasible: climb towards min_kept

    threshold, gates = 0.0, {code: 0.0 for code in CLAUSE_CHECKS}
    best = value(threshold, gates)
    for _ in range(4):
        improved = False
        for t in (t for t in THRESHOLDS if t <= max_threshold):
            v = value(t, gates)
            if v > best or (v == best and t > threshold):  # the highest of equals
                improved = improved or v > best
                best, threshold = v, t
        for code in gated:
            for g in GRID:
                trial = {**gates, code: g}
                if (v := value(threshold, trial)) > best:
                    best, gates, improved = v, trial, True
        if not improved:
            break
    k, f = measure(rows, threshold, gates)
    return (threshold, gates, k, f) if k >= min_kept else None


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
    """The bench's rows with no threshold and every clause check on, whatever its alignment."""
    from eval.factuality_bench import build_engine, ingest, run
    from eval.perf_common import fake_openai

    FakeOpenAI = fake_openai().FakeOpenAI

    rows: list[dict] = []  # type: ignore[type-arg]
    with FakeOpenAI() as fake:
        engine = build_engine(fake.url, "repeater", "tune")
        try:
            ingest(engine, records)
            engine.warm_up()
            run(engine, fake, records, False, rows, 0.0, {c: 0.0 for c in CLAUSE_CHECKS})
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
        default=[],
        help="clause checks whose alignment gate may be fitted (default none: with the actor and "
        "certainty gates the tune figures improve but the perturbation benchmark loses planted "
        "errors, see README)",
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
    reachable = measure(rows, 0.0, {c: 1.0 for c in gated})[0]
    if reachable < args.min_kept:
        print(
            f"no setting keeps {args.min_kept:.0%} of the faithful sentences (at most "
            f"{reachable:.3f}, with the gated clause checks only on sentences that restate the "
            "claim whole); fitting for the best balanced accuracy that adds no false alarm instead"
        )
    ceiling = seed_ceiling()
    print(f"the seed calibration keeps 95% of correct citations up to threshold {ceiling:.2f}")
    found = fit(rows, args.min_kept, ceiling, gated)
    if found is None:
        raise SystemExit(
            f"no setting keeps {args.min_kept:.0%} of the faithful sentences; nothing written"
        )
    threshold, gates, k, f = found
    sets = sorted({r["dataset"] for r in rows})
    print(
        f"threshold {threshold:.2f}, clause checks run from alignment {gates}: faithful kept "
        f"{k:.3f}, errors flagged {f:.3f}, balanced accuracy {(k + f) / 2:.3f} on {len(rows)} "
        f"tune sentences ({', '.join(sets)})"
    )
    if args.write:
        fitted = {
            "supported": threshold,
            "min_alignment": gates,
            "fitted_by": "python -m eval.fit_factuality --write",
            "fitted_on": f"tune split of {', '.join(sets)}: {len(rows)} sentences",
            "min_faithful_kept": args.min_kept,
            "faithful_kept": round(k, 4),
            "errors_flagged": round(f, 4),
        }
        CALIBRATION.write_text(json.dumps(fitted, indent=2) + "\n")
        print(f"wrote {CALIBRATION}")


if __name__ == "__main__":
    main()
