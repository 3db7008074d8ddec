"""Schemathesis over a running `newsdesk serve`, with many more cases than the CI quick run.

    python -m eval.fuzz_api [--examples 200] [--seed 1]

CI's tests/test_api_schema.py sends 12 cases per operation and mode against the app in process.
This starts a real server on a free loopback port (the seed article indexed, an admin key, small
article limits so generated bodies stay quick), then for every operation in /openapi.json and both
modes (positive: valid by the schema; negative: violating it) sends up to --examples cases with the
admin key. A case fails when the server answers 5xx, the connection breaks, or the response does
not match what the schema documents. Prints cases and failures per operation and mode, the first
failures in full, and whether the server still answers /healthz and a normal question afterwards.
Exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from eval.api_bench import ROOT, running_server
from ui.offline import go_offline

ADMIN_KEY = "fuzz-admin-key-0123456789abcdef"
SERVER = {
    "NEWSDESK_API_KEYS": f"{ADMIN_KEY}:admin",
    "NEWSDESK_SERVER__MAX_ARTICLE_CHARS": "5000",
    "NEWSDESK_SERVER__MAX_ARTICLES_PER_REQUEST": "5",
}


def _index(data_dir: Path) -> None:
    from qa.engine import Engine
    from qa.settings import Settings

    engine = Engine.from_settings(Settings(data_dir=data_dir))
    try:
        engine.ingest_paths([ROOT / "seeds"])
    finally:
        engine.close()


# cases and failures per "OPERATION mode", first failure of each, failures per kind
Tallies = tuple[Counter[str], Counter[str], list[str], Counter[str]]


def _kind(report: str) -> str:
    """A failure's check and the server's error message, e.g. 'ST202 Schema-valid request
    rejected: published_from is after published_to'."""
    check = next((ln[2:] for ln in report.splitlines() if ln.startswith("- ")), "error")
    said = re.search(r'"message":"([^"]*)"', report)
    return f"{check}: {said.group(1)}" if said else check


def fuzz(url: str, examples: int, seed: int) -> Tallies:
    import schemathesis

    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    tallies: Tallies = (Counter(), Counter(), [], Counter())
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in ("positive", "negative"):
            if mode == "negative" and not (
                operation.body or operation.query or operation.path_parameters
            ):
                continue  # nothing a caller could send wrong
            _fuzz_operation(operation, mode, url, examples, seed, tallies)
    return tallies


def _fuzz_operation(
    operation: Any, mode: str, url: str, examples: int, seed: int, tallies: Tallies
) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hypothesis_seed
    from schemathesis import GenerationMode

    cases, failures, messages, kinds = tallies
    label = f"{operation.label} {mode}"
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}

    @hypothesis_seed(seed)  # the seed picks the cases: a run can be repeated
    @given(case=operation.as_strategy(GenerationMode(mode)))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def one(case: Any) -> None:
        cases[label] += 1
        try:
            case.call_and_validate(base_url=url, headers=headers, timeout=60)
        except (Exception, BaseExceptionGroup) as err:  # counted, not raised: the run goes on
            failures[label] += 1
            kinds[_kind(str(err))] += 1
            if failures[label] == 1:  # the first failure of each operation and mode
                messages.append(f"{label}: {type(err).__name__}: {str(err)[:800]}")

    one()


# A question about a story the server indexed (the seed), which it must answer from that story.
# A bare "Why now?" is not one: with several stories indexed the right answer asks which story.
HEALTH_QUESTION = "Why did the Syrian rebels attack Aleppo after years of relative calm?"


def still_healthy(url: str) -> bool:
    import httpx

    from eval.syndication_set import SEED
    from index.formats.loaders import load_paths

    (seed,) = load_paths([SEED]).articles
    with httpx.Client(
        base_url=url, timeout=60, headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    ) as c:
        ok = c.get("/healthz").status_code == 200
        asked = c.post("/v1/ask", json={"question": HEALTH_QUESTION})
        if not ok or asked.status_code != 200:
            return False
        answer = asked.json()
        cited = {c["article_id"] for c in answer.get("citations", [])}
        return not answer["refused"] and seed.id in cited


def main() -> int:
    go_offline()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=200, help="per operation and mode")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir, log = Path(tmp) / "data", Path(tmp) / "server.log"
        _index(data_dir)
        with running_server(data_dir, log, SERVER) as (url, _, _):
            cases, failures, messages, kinds = fuzz(url, args.examples, args.seed)
            healthy = still_healthy(url)
    for label in sorted(cases):
        print(f"{label:<45} {cases[label]:>5} cases  {failures[label]:>3} failures")
    print(f"total: {sum(cases.values())} cases, {sum(failures.values())} failures")
    for kind, count in kinds.most_common():
        print(f"  {count} x {kind}")
    for message in messages:
        print(f"  {message}")
    print(f"service healthy afterwards: {'yes' if healthy else 'NO'}")
    return 1 if failures or not healthy else 0


if __name__ == "__main__":
    raise SystemExit(main())
