"""End to end through the `newsdesk` command: real model, real Chroma, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_FILE

TRUCE = "launched their attack the same day a Hezbollah-Israel truce came into effect"


def newsdesk(
    data_dir: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        input=stdin,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "data"
    done = newsdesk(path, "ingest")
    assert done.returncode == 0, done.stderr
    assert "1 added, 0 updated, 0 unchanged, 0 skipped, 0 failed" in done.stdout
    return path


def ask_json(data_dir: Path, question: str) -> dict:
    done = newsdesk(data_dir, "ask", question, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_why_now_cites_the_truce_passage(data_dir: Path) -> None:
    answer = ask_json(data_dir, "Why now?")
    assert not answer["refused"] and answer["backend"] == "extractive"
    assert any(TRUCE in c["text"] for c in answer["citations"])
    assert all(c["section"] == "Why now?" for c in answer["citations"])
    body = SEED_FILE.read_text()
    for citation in answer["citations"]:
        assert f"[{citation['ref']}]" in answer["answer"]
        assert citation["quote"] in citation["text"] and citation["quote"] in body
    assert set(answer) >= {"answer", "refused", "backend", "citations", "sentences", "degraded"}


def test_quotes_are_exact_body_spans(data_dir: Path) -> None:
    from index.formats.loaders import load_paths

    (article,) = load_paths([SEED_FILE]).articles
    for question in ("What major powers are at play?", "What about the government?"):
        answer = ask_json(data_dir, question)
        assert not answer["refused"], question
        assert all(c["section"] == question for c in answer["citations"])
        for c in answer["citations"]:
            assert article.body[c["start"] : c["end"]] == c["quote"]


def test_off_topic_question_is_refused(data_dir: Path) -> None:
    from qa.types import CANNOT_ANSWER

    answer = ask_json(data_dir, "Who won the 2022 World Cup?")
    assert answer["refused"] and answer["answer"] == CANNOT_ANSWER and answer["citations"] == []


def test_plain_output_and_reingest(data_dir: Path) -> None:
    done = newsdesk(data_dir, "ask", "Why now?")
    assert done.returncode == 0 and "[1]" in done.stdout and "Why now?" in done.stdout
    again = newsdesk(data_dir, "ingest")
    assert "0 added, 0 updated, 1 unchanged, 0 skipped, 0 failed" in again.stdout


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_exits_2(data_dir: Path, question: str) -> None:
    done = newsdesk(data_dir, "ask", question)
    assert done.returncode == 2 and "empty" in done.stderr


def test_bad_files_are_named_and_the_rest_ingested(tmp_path: Path) -> None:
    (tmp_path / "ok.md").write_text(
        "---\ntitle: Port strike\nsource: Wire\n---\nDockers walked out on Friday."
    )
    (tmp_path / "bin.txt").write_bytes(b"\x00\x00\x00")
    (tmp_path / "feed.jsonl").write_text(
        '{"title": "Rec", "body": "The bridge closed."}\nnot json\n'
    )
    done = newsdesk(tmp_path / "data", "ingest", str(tmp_path))
    assert done.returncode == 0
    assert "2 added, 0 updated, 0 unchanged, 0 skipped, 2 failed" in done.stdout
    assert "bin.txt" in done.stderr and "feed.jsonl:2" in done.stderr


def test_delete_and_interactive_ask(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert newsdesk(data, "ingest", str(SEED_FILE)).returncode == 0
    session = newsdesk(data, "ask", stdin="What about the government?\n\n")
    assert session.returncode == 0 and "[1]" in session.stdout
    done = newsdesk(data, "ingest", "--delete", "aleppo-offensive")
    assert done.returncode == 0 and "deleted: aleppo-offensive" in done.stdout
    assert ask_json(data, "Why now?")["refused"]
