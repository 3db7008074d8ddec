"""Soak: a real `newsdesk serve` under mixed load for a bounded time, then a check nothing was lost.

    python -m eval.soak [--seconds 300] [--clients 16] [--ingest-share 0.2] [--max-growth-mb 150]
                        [--min-articles 400]

Indexes the seed article plus the MultiHop-RAG corpus in a temporary data dir, starts `newsdesk
serve` on a free loopback port (rate limit off) and runs N clients for the given time. Each request
is an ingest of a new article (one in five by default; each article carries a made-up word of its
own) or a question: a MultiHop-RAG query, or one about an article a client ingested earlier. Prints
status counts (the goal is zero 5xx), the server's resident memory after the first 10% of the time
(warm) and at the end, with the bound it must stay within, and whether every article that was
accepted can be read back (GET /v1/articles/ID) and is what /v1/ask cites for its made-up word.

The articles are template stories: the same wording around a place and a tonnage that repeat
together every `TEMPLATE_PERIOD` (360) articles, and a convoy name of their own, so none is a copy
of another. Articles put in another's story group are reported apart from lost ones (grouped is
wrong whether or not it loses the article), and a run that accepted fewer than --min-articles
(400: past the first repeat) did not test that. Exit status 1 when any of these fails. Not a
test: it takes minutes (150 s at 16 clients reach about 450 articles on 2 cores).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.api_bench import _index, _questions, _status, running_server
from ui.offline import go_offline

PLACES = ["Tartus", "Hama", "Idlib", "Homs", "Latakia", "Raqqa", "Daraa", "Aleppo"]
TONNAGES = 90  # tonnages 10..99
TEMPLATE_PERIOD = math.lcm(len(PLACES), TONNAGES)  # articles n and n + 360: same place and tonnage


def word(n: int) -> str:
    """A made-up word unique to soak article n."""
    letters = "bcdfghklmnprstvz"
    return "Zor" + "".join(letters[(n >> (4 * i)) & 15] for i in range(4)) + "ix"


def article(n: int) -> dict[str, str]:
    place = PLACES[n % len(PLACES)]
    return {
        "id": f"soak-{n:06d}",
        "title": f"Wire note {n}",
        "body": (
            f"The {word(n)} convoy reached {place} on Tuesday, officials said. "
            f"It carried {n % TONNAGES + 10} tonnes of flour for the {place} bakeries. "
            "Aid groups said more deliveries were expected before the end of the month."
        ),
        "source": "Soak Wire",
    }


def question_about(n: int) -> str:
    return f"Where did the {word(n)} convoy arrive?"


@dataclass
class Tally:
    statuses: Counter[str] = field(default_factory=Counter)
    accepted: list[int] = field(default_factory=list)  # article numbers the server stored
    next_article: int = 0

    def take_number(self) -> int:
        self.next_article += 1
        return self.next_article - 1


async def _client(url: str, deadline: float, share: float, tally: Tally, seed: int) -> None:
    import httpx

    rng = random.Random(seed)
    questions = _questions()
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        while time.monotonic() < deadline:
            if rng.random() < share:
                n = tally.take_number()
                request = client.post("/v1/articles", json=article(n))
            else:
                known = tally.accepted
                text = (
                    question_about(rng.choice(known))
                    if known and rng.random() < 0.5
                    else next(questions, "What happened in Aleppo?")
                )
                n, request = -1, client.post("/v1/ask", json={"question": text})
            try:
                response = await request
            except httpx.HTTPError as err:
                tally.statuses[f"transport error ({type(err).__name__})"] += 1
                continue
            tally.statuses[f"{response.status_code // 100}xx"] += 1
            if n >= 0 and response.status_code == 200:
                tally.accepted.append(n)


async def _sample_rss(pid: int, deadline: float, warm_at: float, samples: dict[str, Any]) -> None:
    """Peak, warm (after the first tenth) and end RSS, and one sample per tenth of the run: a
    steady rise to the end means a leak or an unbounded cache, a flat tail means caches filled."""
    started, step = time.monotonic(), (deadline - time.monotonic()) / 10
    samples["trend"] = []
    while time.monotonic() < deadline:
        rss = _status(pid, "VmRSS")
        samples["peak"] = max(samples.get("peak", 0), rss)
        if "warm" not in samples and time.monotonic() >= warm_at:
            samples["warm"] = rss
        if time.monotonic() >= started + step * len(samples["trend"]):
            samples["trend"].append(rss)
        await asyncio.sleep(1)
    samples["end"] = _status(pid, "VmRSS")


async def _soak(url: str, pid: int, args: argparse.Namespace) -> tuple[Tally, dict[str, Any]]:
    tally, samples = Tally(), {}
    started = time.monotonic()
    deadline = started + args.seconds
    await asyncio.gather(
        _sample_rss(pid, deadline, started + args.seconds / 10, samples),
        *(_client(url, deadline, args.ingest_share, tally, k) for k in range(args.clients)),
    )
    return tally, samples


async def _lost(url: str, accepted: list[int]) -> tuple[list[str], list[str]]:
    """Accepted articles that cannot be read back or are not cited for their own word (lost),
    and those put in another article's story group (grouped; each soak article is its own)."""
    import httpx

    lost: list[str] = []
    grouped: list[str] = []
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        for n in sorted(set(accepted)):
            wanted = article(n)
            got = await client.get(f"/v1/articles/{wanted['id']}")
            if got.status_code != 200 or got.json()["body"] != wanted["body"]:
                lost.append(f"{wanted['id']}: read back {got.status_code}")
                continue
            group = got.json().get("story_group")
            if group not in (None, wanted["id"]):
                grouped.append(f"{wanted['id']}: in story group {group}")
            answer = (await client.post("/v1/ask", json={"question": question_about(n)})).json()
            if not any(c["article_id"] == wanted["id"] for c in answer.get("citations", [])):
                lost.append(f"{wanted['id']}: not cited for {word(n)}")
    return lost, grouped


def main() -> int:
    go_offline()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--ingest-share", type=float, default=0.2, help="requests that ingest")
    parser.add_argument(
        "--max-growth-mb",
        type=float,
        default=150,
        help="allowed RSS growth from warm (10%% of the time) to the end",
    )
    parser.add_argument(
        "--min-articles",
        type=int,
        default=400,
        help=f"fewer accepted ingests fail the run (template numbers repeat every {TEMPLATE_PERIOD})",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir, log = Path(tmp) / "data", Path(tmp) / "server.log"
        print(_index(data_dir), flush=True)
        with running_server(data_dir, log) as (url, server, ready):
            print(f"server ready in {ready:.1f}s; RSS {_status(server.pid, 'VmRSS') / 1024:.0f} MB")
            started = time.monotonic()
            tally, rss = asyncio.run(_soak(url, server.pid, args))
            took = time.monotonic() - started
            lost, grouped = asyncio.run(_lost(url, tally.accepted))
        if server.returncode not in (0, -15):
            print(f"server exited with {server.returncode}:\n{log.read_text()[-2000:]}")
    total = sum(tally.statuses.values())
    server_errors = tally.statuses["5xx"] + sum(
        v for k, v in tally.statuses.items() if k.startswith("transport")
    )
    growth = (rss["end"] - rss["warm"]) / 1024
    print(
        f"{args.clients} clients for {took:.0f}s: {total} requests ({total / took:.1f}/s), "
        + ", ".join(f"{k} {v}" for k, v in sorted(tally.statuses.items()))
    )
    accepted = len(set(tally.accepted))
    print(f"articles ingested: {len(tally.accepted)} accepted of {tally.next_article} sent")
    short = accepted < args.min_articles
    if short:
        print(
            f"too short: {accepted} articles, fewer than {args.min_articles} (place and tonnage "
            f"repeat every {TEMPLATE_PERIOD}); run longer"
        )
    print(
        f"server RSS: warm {rss['warm'] / 1024:.0f} MB, end {rss['end'] / 1024:.0f} MB, "
        f"peak {rss['peak'] / 1024:.0f} MB; growth {growth:+.0f} MB (bound {args.max_growth_mb:.0f} MB)"
    )
    print(
        "server RSS by tenth of the run, MB: " + " ".join(f"{r / 1024:.0f}" for r in rss["trend"])
    )
    print(
        f"grouped with another article (template stories, none a copy): {len(grouped)} of {accepted}"
    )
    for line in grouped[:10]:
        print(f"  {line}")
    print(f"lost (not readable or not cited): {len(lost)} of {accepted}")
    for line in lost[:20]:
        print(f"  {line}")
    failed = server_errors > 0 or bool(lost) or bool(grouped) or short
    failed = failed or growth > args.max_growth_mb
    print("soak: FAILED" if failed else "soak: passed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
