"""`newsdesk ingest` killed with SIGKILL in the middle of a large ingest, then run again.

A real subprocess ingests a generated corpus (about 1,550 chunks, so two write batches: 1,024 and the rest)
into an embedded data dir and is killed with SIGKILL once its progress bar shows a batch stored.
The same ingest is run again to the end. Then: earlier articles are reported unchanged (nothing was
redone or lost), no chunk is stored twice (Chroma's raw count equals the sum of the articles'
chunk counts), no article is half there (each record's chunks of its version are all present), and
articles from before and after the kill are answerable.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT

SHORT_ARTICLES = 1_500
LONG_ARTICLES = 12  # several chunks each: "half an article" is possible for these
PLACES = ["Tartus", "Hama", "Idlib", "Homs", "Latakia", "Deir", "Raqqa", "Daraa"]


def code(n: int) -> str:
    """A made-up word unique to article n, so a question finds exactly that article."""
    letters = "bcdfghklmnprstvz"
    return "Kes" + "".join(letters[(n >> (4 * i)) & 15] for i in range(3)) + "ovia"


def corpus(path: Path) -> list[dict[str, str]]:
    articles = []
    for n in range(SHORT_ARTICLES + LONG_ARTICLES):
        place = PLACES[n % len(PLACES)]
        body = f"Project {code(n)} was approved by the council of {place} on day {n}."
        if n >= SHORT_ARTICLES:  # long: many distinct sentences, several 200-token chunks
            body += " " + " ".join(
                f"Section {k} of the {code(n)} plan covers road {k * 7 + n} near {place}."
                for k in range(60)
            )
        articles.append({"id": f"a{n:05d}", "title": f"Council note {n}", "body": body})
    # Long articles first: some of them are in the first, committed batch and some are not.
    articles = articles[SHORT_ARTICLES:][:6] + articles[:SHORT_ARTICLES] + articles[-6:]
    path.write_text("".join(json.dumps(a) + "\n" for a in articles))
    return articles


def ingest_command(data_dir: Path, corpus_file: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "ui.cli", "--data-dir", str(data_dir), "ingest", str(corpus_file), *extra]  # fmt: skip


def kill_after_first_batch(data_dir: Path, corpus_file: Path, total: int) -> int:
    """Start the ingest, SIGKILL it once the progress bar counts at least one stored batch but
    not everything; returns the count it had shown."""
    proc = subprocess.Popen(
        ingest_command(data_dir, corpus_file),
        cwd=ROOT,
        # Every update of the progress bar printed at once (tqdm reads TQDM_* overrides).
        env={**os.environ, "TQDM_MININTERVAL": "0", "TQDM_MINITERS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    os.set_blocking(proc.stderr.fileno(), False)
    seen, shown, deadline = b"", 0, time.monotonic() + 150
    try:
        while time.monotonic() < deadline:
            seen += proc.stderr.read() or b""
            if proc.poll() is not None:
                break
            counts = [int(m) for m in re.findall(rb"(\d+)/%d" % total, seen)]
            shown = max(counts, default=0)
            if shown > 0:  # the bar moves when a batch is stored (and committed)
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, f"ingest ended by itself: {seen[-500:]!r}"
    assert 0 < shown < total, shown
    return shown


def plant_crash_leftovers(data_dir: Path, articles: list[dict[str, str]], embedder) -> int:  # type: ignore[no-untyped-def]
    """Also crash in process between writing a changed article's chunks and its commit (the
    SIGKILL may land while embedding, leaving nothing behind); returns the chunks left over."""
    from index.formats.loaders import parse_text
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import Settings

    settings = Settings(data_dir=data_dir)
    engine = Engine(settings, Store.open(data_dir, None, settings.collection), embedder)
    try:
        before = engine.store.chunk_count()
        changed = {**articles[0], "body": articles[0]["body"].replace("road", "bridge")}
        collection = engine.store._articles

        class Killed(BaseException):
            pass

        def killed(*args: object, **kwargs: object) -> None:
            raise Killed

        collection.upsert = killed  # the commit point never comes
        with contextlib.suppress(Killed):
            engine.ingest_loaded(parse_text(json.dumps(changed), "changed.jsonl", "jsonl"))
        del collection.upsert
        return engine.store.chunk_count() - before
    finally:
        engine.close()


def test_sigkill_mid_ingest_then_the_same_ingest_loses_and_duplicates_nothing(
    tmp_path: Path, embedder
) -> None:  # type: ignore[no-untyped-def]
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import Settings

    data_dir, corpus_file = tmp_path / "data", tmp_path / "corpus.jsonl"
    articles = corpus(corpus_file)
    shown = kill_after_first_batch(data_dir, corpus_file, len(articles))

    leftovers = plant_crash_leftovers(data_dir, articles, embedder)
    # The restart is the same command; the data dir's lock died with the killed process.
    rerun = subprocess.run(
        ingest_command(data_dir, corpus_file, "--quiet"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"removed {leftovers} orphaned chunks" in rerun.stdout  # repaired without being asked
    counts = dict(re.findall(r"(\d+) (added|unchanged)", rerun.stdout))
    summary = {kind: int(n) for n, kind in re.findall(r"(\d+) (added|unchanged)", rerun.stdout)}
    assert counts and summary["unchanged"] >= shown  # what was stored before the kill was kept
    assert summary["unchanged"] + summary["added"] == len(articles), rerun.stdout

    settings = Settings(data_dir=data_dir)
    engine = Engine(settings, Store.open(data_dir, None, settings.collection), embedder)
    try:
        records = {r.id: r for r in engine.articles()}
        assert set(records) == {a["id"] for a in articles}
        stored = list(engine.store.iter_chunks())
        # No duplicates and no leftovers: every stored chunk belongs to a current version...
        assert engine.store.chunk_count() == sum(r.chunk_count for r in records.values())
        per_article: dict[str, int] = {}
        for s in stored:
            assert records[s.chunk.article_id].version == s.chunk.version
            per_article[s.chunk.article_id] = per_article.get(s.chunk.article_id, 0) + 1
        # ...and no article is half there.
        assert per_article == {i: r.chunk_count for i, r in records.items()}
        assert sum(r.chunk_count > 1 for r in records.values()) == LONG_ARTICLES
        # Answerable: articles stored before the kill, after it, short and long.
        for n in (0, 7, 500, 999, 1200, 1499, SHORT_ARTICLES + 3, SHORT_ARTICLES + 9):
            answer = engine.ask(f"Which council approved project {code(n)}?")
            assert not answer.refused, n
            assert answer.citations[0].article_id == f"a{n:05d}", (n, answer.answer)
            assert PLACES[n % len(PLACES)] in answer.answer
    finally:
        engine.close()
