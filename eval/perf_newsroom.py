"""Newsroom ingestion figures: formats ingested/skipped/failed, story-group precision and
recall on the syndication set, ingest throughput with grouping on against the raw model, and
drop-to-answerable latency of the watched folder.

    python -m eval.perf_newsroom [--latency-files 20] [--wire-articles 120]

The throughput pipelines each run in a fresh process with the model loaded before the clock
starts (as eval/perf_ingest.py); ratios are taken within this one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from ui.offline import go_offline

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "newsroom"
PIPELINES = ("raw model", "grouping off", "grouping on")
REPUBLISHERS = ("Daily Courier", "Evening Post", "Metro Wire")


# -- formats -------------------------------------------------------------------------------------


def format_table() -> tuple[list[tuple[str, int, int, int]], int]:
    from index.formats import sniff_format
    from index.formats.common import SkipFile
    from index.formats.loaders import load_file

    rows: dict[str, Counter] = {}
    for path in sorted(FIXTURES.iterdir()):
        try:
            fmt = sniff_format(path.read_bytes()[:65536], path.name)
        except SkipFile:
            fmt = "unknown"
        if fmt == "json":
            fmt = "ninjs / json"
        result = load_file(path)
        outcome = "ingested" if result.articles else "failed" if result.errors else "skipped"
        rows.setdefault(fmt, Counter())[outcome] += 1
    table = [(f, c["ingested"], c["skipped"], c["failed"]) for f, c in sorted(rows.items())]
    return table, sum(1 for _ in FIXTURES.iterdir())


# -- grouping ------------------------------------------------------------------------------------


def grouping_scores() -> tuple[float, float, int, int, float, float]:
    """Pairwise precision and recall on the syndication set, pair counts, and milliseconds an
    article to group (sign, extract facts, look up) and to extract its facts alone."""
    from eval.syndication_set import pair_scores, syndication_set
    from index.news.facts import fact_pairs
    from index.news.story_groups import StoryGroups

    articles, truth = syndication_set()
    groups = StoryGroups()
    started = time.perf_counter()
    assigned = {a.id: groups.assign(a.id, a.body, a.published)[0] for a in articles}
    per_article_ms = (time.perf_counter() - started) * 1000 / len(articles)
    started = time.perf_counter()
    for a in articles:
        fact_pairs(a.body)
    facts_ms = (time.perf_counter() - started) * 1000 / len(articles)
    precision, recall, predicted, actual = pair_scores(assigned, truth)
    return precision, recall, predicted, actual, per_article_ms, facts_ms


# -- throughput ----------------------------------------------------------------------------------


def wire_heavy_set(originals: int):  # type: ignore[no-untyped-def]
    """Wikinews articles as the agency's originals, each republished verbatim under a new
    headline by three outlets (a wire-heavy feed: three of four articles are copies), plus the
    seed and its four edited republications."""
    from eval.syndication_set import agency_story, wikinews

    base = [a for a in wikinews() if len(a.body) < 6000][:originals]
    articles = []
    for a in base:
        articles.append(replace(a, source="AP"))
        for k, outlet in enumerate(REPUBLISHERS):
            articles.append(
                replace(a, id=f"{a.id}-r{k}", title=f"{a.title} ({outlet})", source=outlet)
            )
    original, copies = agency_story()
    return [original, *copies, *articles]


def _run_one(name: str, place: Path, originals: int) -> tuple[int, float, int, float]:
    from index.chunking import chunk_article, sentence_splitter
    from index.ingest import ingest_articles
    from qa.engine import Engine
    from qa.settings import Settings

    articles = wire_heavy_set(originals)
    sentence_splitter()
    engine = Engine.from_settings(Settings(data_dir=place))
    embedder, config = engine.embedder, engine.settings.chunking.config()
    embedder.embed(["warm up"])
    try:
        if name == "raw model":
            chunks = [c for a in articles for c in chunk_article(a, embedder.count_tokens, config)]
            started = time.perf_counter()
            embedder.embed_spans(
                [c.indexed_text for c in chunks],
                [c.sentence_spans_in_indexed_text() for c in chunks],
            )
            return len(chunks), time.perf_counter() - started, 0, 0.0
        grouping = _time_grouping(engine.store)
        started = time.perf_counter()
        report = ingest_articles(
            articles, engine.store, embedder, config, group=name == "grouping on"
        )
        took = time.perf_counter() - started
        return report.chunks, took, report.reused, grouping[0]
    finally:
        engine.close()


def _time_grouping(store):  # type: ignore[no-untyped-def]
    """Sum the time spent assigning story groups (signature, LSH lookup) during the ingest:
    a share measured inside one run, steadier than comparing two runs on a busy machine."""
    spent = [0.0]
    groups = store.story_groups()
    assign = groups.assign

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return assign(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    groups.assign = timed
    return spent


def throughput(originals: int, tmp: Path) -> dict[str, tuple[int, float, int, float]]:
    results = {}
    for index, name in enumerate(PIPELINES):
        command = [
            sys.executable, "-m", "eval.perf_newsroom", "--one", name,
            "--dir", str(tmp / str(index)), "--wire-articles", str(originals),
        ]  # fmt: skip
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise SystemExit(f"{name} failed:\n{out.stderr}")
        chunks, took, reused, grouping = json.loads(out.stdout.strip().splitlines()[-1])
        results[name] = (int(chunks), float(took), int(reused), float(grouping))
        print(f"{name}: {chunks} chunks in {took:.1f}s ({reused} reused)", flush=True)
    return results


# -- drop to answerable --------------------------------------------------------------------------


def drop_latency(files: int, tmp: Path) -> list[float]:
    """Seconds from a file's rename into the folder to its text being retrievable, per file,
    with the watcher's defaults (0.5 s scans, 1 s of stability)."""
    from eval.syndication_set import wikinews
    from qa.engine import Engine
    from qa.settings import Settings
    from qa.types import Filters
    from ui.watch import Watcher

    engine = Engine.from_settings(Settings(data_dir=tmp / "latency-data"))
    folder = tmp / "drop"
    folder.mkdir()
    watcher = Watcher(engine, folder, say=lambda _line: None)
    watcher.start()
    engine.warm_up()
    latencies = []
    try:
        for k, article in enumerate(wikinews()[-files:]):
            item = {
                "uri": f"urn:bench:{k}",
                "version": "1",
                "headline": article.title,
                "body_text": article.body,
                "versioncreated": "2024-12-01T10:00:00Z",
            }
            part = folder / f".item-{k}.json.part"
            part.write_text(json.dumps(item))
            started = time.perf_counter()
            os.replace(part, folder / f"item-{k}.json")
            only = Filters(article_ids=(f"urn:bench:{k}",))
            while not engine.retrieve(article.title, top_k=1, filters=only):
                if time.perf_counter() - started > 60:
                    raise SystemExit(f"item-{k}.json never became answerable")
                time.sleep(0.05)
            latencies.append(time.perf_counter() - started)
    finally:
        watcher.stop()
        engine.close()
    return latencies


def main() -> None:
    go_offline()
    from eval.perf_common import conditions, percentiles, table, write_report

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-files", type=int, default=20)
    parser.add_argument("--wire-articles", type=int, default=120, help="Wikinews originals")
    parser.add_argument("--one", choices=PIPELINES, help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_run_one(args.one, args.dir, args.wire_articles)))
        return

    before = conditions()
    lines: list[str] = []
    formats, total = format_table()
    lines += [
        f"formats: the {total} files of tests/fixtures/newsroom/ (hostile ones included)",
        table(["format", "files ingested", "skipped", "failed"], formats),
    ]
    precision, recall, predicted, actual, ms, facts_ms = grouping_scores()
    lines.append(
        f"story groups on the syndication set (seed + 4 edited copies, 317 Wikinews articles): "
        f"pairwise precision {precision:.3f}, recall {recall:.3f} ({predicted} pairs grouped, "
        f"{actual} true pairs); {ms:.2f} ms an article to sign, extract facts and look up "
        f"(facts alone {facts_ms:.2f} ms)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        runs = throughput(args.wire_articles, Path(tmp))
        raw_s = runs["raw model"][1]
        rows = [
            (name, chunks, f"{took:.1f}", chunks / took, reused)
            for name, (chunks, took, reused, _) in runs.items()
        ]
        grouped_s, grouping_s = runs["grouping on"][1], runs["grouping on"][3]
        n_articles = len(wire_heavy_set(args.wire_articles))
        lines += [
            f"ingest of a wire-heavy feed: {n_articles} articles, 3 of 4 republished copies",
            table(["pipeline", "chunks", "seconds", "chunks/s", "vectors reused"], rows),
            f"grouping on vs off (time ratio): {runs['grouping on'][1] / runs['grouping off'][1]:.2f}; "
            f"newsdesk with grouping vs the raw model embedding every chunk: "
            f"{raw_s / runs['grouping on'][1]:.2f}x the raw model's throughput",
            f"time spent grouping inside the grouped ingest: {grouping_s:.2f} s of "
            f"{grouped_s:.1f} s ({100 * grouping_s / grouped_s:.1f}%)",
        ]
        latencies = drop_latency(args.latency_files, Path(tmp))
    p = percentiles([x * 1000 for x in latencies])
    lines.append(
        f"drop to answerable ({len(latencies)} ninjs files, one at a time, watcher defaults "
        f"0.5 s scans + 1 s stability): p50 {p['p50'] / 1000:.2f} s, p95 {p['p95'] / 1000:.2f} s, "
        f"max {max(latencies):.2f} s"
    )
    print("\n\n".join(lines))
    report = write_report(
        "perf_newsroom", "Newsroom ingestion", "\n\n".join(lines) + f"\n\nMeasured: {before}.", None
    )
    print(f"report: {report}")


if __name__ == "__main__":
    main()
