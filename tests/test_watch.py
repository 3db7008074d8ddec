"""The drop folder for real: a folder on disk, the real engine, watchfiles' inotify (and its
polling mode), files written slowly or by write-then-rename, and a restart."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.served import clean_env, newsdesk, serving
from tests.test_formats import FIXTURES
from ui.watch import Watcher


def until(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def watcher(engine, folder: Path, lines: list[str], polling: bool = False) -> Watcher:  # type: ignore[no-untyped-def]
    w = Watcher(
        engine,
        folder,
        poll_seconds=0.1,
        stable_seconds=0.4,
        force_polling=polling,
        say=lines.append,
    )
    w.start()
    return w


def drop(folder: Path, name: str, data: bytes) -> None:
    """The write-then-rename convention: the final name appears only when the file is whole."""
    tmp = folder / f".{name}.part"
    tmp.write_bytes(data)
    os.replace(tmp, folder / name)


def test_files_dropped_in_are_ingested_once_each_and_a_restart_reads_nothing_again(
    engine, tmp_path: Path
) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    lines: list[str] = []
    w = watcher(engine, folder, lines)
    try:
        for name in ("article.html", "feed-rss.xml", "wire-ninjs13.json", "bomb.xml", "table.csv"):
            drop(folder, name, (FIXTURES / name).read_bytes())
        until(lambda: w.status.files_ingested == 5)
        assert engine.article("harbour-2024-1101-ferry") is not None
        assert engine.article("urn:newsml:wire.example:20241203:quake-1") is not None
        per_file = [line for line in lines if line.startswith("watch: ")]
        assert len(per_file) == 5  # one line per file, the bad ones saying why
        assert any("bomb.xml" in line and "ENTITY" in line for line in per_file)
        assert any("table.csv" in line and "1 skipped" in line for line in per_file)

        # A file written slowly, in pieces, is ingested once, whole.
        slow = folder / "slow.txt"
        with slow.open("w") as f:
            f.write("Night ferry cancelled\n")
            for k in range(6):
                f.write(f"The night ferry was cancelled, part {k} of the notice. ")
                f.flush()
                time.sleep(0.15)
        until(lambda: w.status.files_ingested == 6)
        body = engine.article("slow").body
        assert "part 5 of the notice" in body
        assert sum("slow.txt" in line for line in lines) == 1
        assert w.status.backlog == 0 and w.status.last_file == "slow.txt"
    finally:
        w.stop()

    # Restart: nothing unchanged is read again; a touched file is recognised by its bytes.
    lines.clear()
    os.utime(folder / "article.html")
    again = watcher(engine, folder, lines, polling=True)
    try:
        until(lambda: any("article.html" in line for line in lines))
        time.sleep(1.0)
        assert again.status.files_ingested == 0
        assert [line for line in lines if line.startswith("watch: ")] == [
            "watch: article.html: unchanged (same bytes as already ingested)"
        ]
        (folder / "slow.txt").write_text(
            "Night ferry restored\nThe night ferry runs again from Monday."
        )
        until(lambda: again.status.files_ingested == 1)
        assert "runs again" in engine.article("slow").body
        assert "1 updated" in lines[-1]
    finally:
        again.stop()


def test_serve_watch_answers_a_dropped_article_and_reports_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    log = tmp_path / "server.log"
    env = clean_env(NEWSDESK_SERVER__RATE_LIMIT_PER_MINUTE="0")
    with serving(tmp_path / "data", log, env, "--watch", str(folder)) as server:
        shutil.copy(FIXTURES / "newsml-correction.xml", folder / "budget.xml")
        status: dict = {}

        def ingested() -> bool:
            nonlocal status
            status = httpx.get(f"{server.url}/v1/status").json()
            return status["watch"]["files_ingested"] == 1

        until(ingested, 60)
        assert status["watch"]["backlog"] == 0 and status["last_ingest_at"]
        answer = httpx.post(
            f"{server.url}/v1/ask",
            json={"question": "By how many votes did parliament pass the budget?"},
        ).json()
        assert answer["citations"][0]["article_id"] == "urn:newsml:agency.example:20241205:budget"
        assert "watch: budget.xml: 1 added" in log.read_text()


def test_cli_watch_once(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    shutil.copy(FIXTURES / "feed-atom.xml", folder / "feed.xml")
    done = newsdesk(tmp_path / "data", "watch", str(folder), "--once", "--stable", "0.3")
    assert done.returncode == 0, done.stderr
    assert "watch: feed.xml: 2 added" in done.stdout
    again = newsdesk(tmp_path / "data", "watch", str(folder), "--once", "--stable", "0.3")
    assert "feed.xml" not in again.stdout  # the state file remembers it
