"""`newsdesk eval` end to end: real model, real Chroma, and a real `newsdesk serve` (uvicorn on a free
loopback port) for HTTP mode."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port
from tests.served import clean_env, newsdesk, serving
from ui.cli import main

KEY = "eval-query-key-0123456789abcdef"
PNG = b"\x89PNG\r\n\x1a\n"


def results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text())


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    root = tmp_path_factory.mktemp("eval-seed")
    data_dir, out = root / "data", root / "out"
    done = newsdesk(data_dir, "eval", "--suite", "seed", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return data_dir, out, done.stdout


def test_seed_run_writes_results_report_chart_and_one_line(seed_run) -> None:  # type: ignore[no-untyped-def]
    _, out, stdout = seed_run
    [line] = stdout.splitlines()
    assert line.startswith("seed: 51 questions, strict acc 0.")
    assert f"report {out / 'report.md'}" in line
    data = results(out)
    [config] = data["configs"]
    assert data["suite"] == "seed" and data["questions"] == 51
    assert [r["id"] for r in config["results"]] == [f"s{i:02d}" for i in range(1, 52)]
    assert config["setup"]["collection"] == "eval-seed-c200-o40"
    assert config["setup"]["ingest"].startswith("1 added")
    assert set(config["by_type"]) == {"all", "section", "fact", "paraphrase", "unanswerable"}
    summary = config["summary"]
    assert summary["n"] == 51 and summary["errors"] == 0 and summary["hits10"] > 0.9
    # the one line and the report say what the JSON says
    assert f"strict acc {summary['strict']:.3f}" in line
    report = (out / "report.md").read_text()
    assert f"| all | 51 | {summary['strict']:.3f} |" in report
    assert "### Retrieval by question type" in report and "![chart](chart.png)" in report
    assert (out / "chart.png").read_bytes().startswith(PNG)
    refused = [r for r in config["results"] if r["type"] == "unanswerable"]
    assert len(refused) == 9 and all(r["strict"] == r["refused"] for r in refused)


def test_a_comparison_reuses_the_ingested_suite_and_prints_one_table(seed_run) -> None:  # type: ignore[no-untyped-def]
    data_dir, out, _ = seed_run
    out = out.parent / "compare"
    done = newsdesk(
        data_dir, "eval", "--suite", "seed", "--limit", "6", "--quiet", "--out", str(out),
        "--compare", "mode=dense", "mode=bm25", "k=3", "chunk=120",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:5] == ["seed", "(6", "questions)", "Hits@4", "Hits@10"]
    assert [row.split()[0] for row in lines[1:]] == [
        "mode=dense", "mode=bm25", "k=3", "chunk=120", "report",
    ]  # fmt: skip
    configs = results(out)["configs"]
    setups = {c["label"]: c["setup"] for c in configs}
    assert setups["mode=dense"]["ingest"].startswith("0 added, 0 updated, 1 unchanged")
    assert setups["mode=bm25"]["mode"] == "bm25" and setups["k=3"]["top_k"] == 3
    assert setups["chunk=120"]["collection"] == "eval-seed-c120-o24"
    assert setups["chunk=120"]["ingest"].startswith("1 added")  # its own collection
    assert all(len(c["results"]) == 6 for c in configs)
    assert "## Comparison (all questions)" in (out / "report.md").read_text()


def test_a_question_file_with_its_own_corpus(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    article = tmp_path / "bridge.md"
    article.write_text(
        "---\ntitle: The old bridge\nsource: Town Crier\n---\n"
        "The Harbour Bridge opened to traffic in 1932 after eight years of work.\n\n"
        "Its steel arch was built by Dorman Long of Middlesbrough.\n"
    )
    questions = tmp_path / "mine.jsonl"
    rows = [
        {"id": "b1", "question": "When did the Harbour Bridge open?", "answer": "1932",
         "evidence": ["opened to traffic in 1932"]},
        {"id": "b2", "question": "Who built the steel arch of the bridge?", "answer": "Dorman Long",
         "evidence": ["built by Dorman Long"]},
        {"id": "b3", "question": "Who won the 2022 World Cup?", "answerable": False},
    ]  # fmt: skip
    questions.write_text("\n".join(json.dumps(r) for r in rows))
    out = tmp_path / "out"
    argv = ["--data-dir", str(tmp_path / "data"), "eval", "--suite", str(questions)]
    code = main([*argv, "--corpus", str(article), "--out", str(out), "--quiet"])
    assert code == 0, capsys.readouterr().err
    [config] = results(out)["configs"]
    assert config["setup"]["collection"] == "eval-mine-c200-o40"
    by_id = {r["id"]: r for r in config["results"]}
    assert by_id["b1"]["strict"] and by_id["b1"]["citation_recall"] == 1.0
    assert by_id["b2"]["strict"] and by_id["b2"]["first_rank"] == 1
    assert by_id["b3"]["refused"] and by_id["b3"]["gold_kind"] == "refusal"
    assert capsys.readouterr().out.startswith("mine: 3 questions, strict acc 1.000")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--suite", "nonsense"], "no such suite or question file: nonsense"),
        (["--suite", "seed", "--limit", "0"], "--limit must be at least 1"),
        (["--suite", "seed", "--compare", "size=3"], "bad configuration 'size=3'"),
        (["--suite", "seed", "--compare", "k=0"], "top_k"),
        (["--suite", "seed", "--api", "http://127.0.0.1:9", "--mode", "dense"], "--mode cannot"),
        (["--suite", "seed", "--api-key", "k"], "--api-key needs --api"),
        (["--suite", "seed", "--corpus", "/no/such/file.jsonl"], "no such corpus"),
    ],
)
def test_bad_arguments_are_clear_errors_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    assert main(["--data-dir", str(tmp_path / "data"), "eval", *args, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "data").exists()


def test_a_bad_question_file_names_each_bad_line(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"question": "fine?"}\n{"question": ""}\nnot json\n')
    assert main(["--data-dir", str(tmp_path / "d"), "eval", "--suite", str(questions)]) == 2
    err = capsys.readouterr().err
    assert "2 bad question record(s); nothing was run" in err
    assert f"{questions}:2: no question" in err and f"{questions}:3:" in err


# -- HTTP mode against `newsdesk serve` ----------------------------------------------------------


@contextmanager
def served_copy(data_dir: Path, **env: str) -> Iterator[str]:
    """`newsdesk serve` on a copy of `data_dir` (the original stays free for in-process runs)."""
    served = data_dir.parent / f"{data_dir.name}-served"
    shutil.copytree(data_dir, served, ignore=shutil.ignore_patterns("newsdesk.lock"))
    with serving(served, served.parent / f"{served.name}.log", clean_env(**env)) as running:
        yield running.url


@pytest.fixture(scope="module")
def service(seed_run) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """`newsdesk serve` on a copy of the seed run's index (the seed article in `eval-seed-c200-o40`)."""
    with served_copy(
        seed_run[0],
        NEWSDESK_API_KEYS=f"{KEY}:query",
        NEWSDESK_SERVER__RATE_LIMIT_PER_MINUTE="0",
        NEWSDESK_COLLECTION="eval-seed-c200-o40",
    ) as url:
        yield url


def test_http_mode_scores_the_running_service_like_the_library(  # type: ignore[no-untyped-def]
    service: str, seed_run, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "http"
    argv = ["eval", "--suite", "seed", "--api", service, "--api-key", KEY, "--limit", "12"]
    assert main([*argv, "--out", str(out), "--quiet"]) == 0, capsys.readouterr().err
    [config] = results(out)["configs"]
    assert config["setup"]["target"] == f"{service}/v1/ask"
    assert config["summary"]["hits10"] is None  # the API returns no passages
    assert "Retrieval metrics are n/a" in (out / "report.md").read_text()
    # Same article, same settings: the service answers exactly as the library did in-process.
    [local] = results(seed_run[1])["configs"]
    local_answers = {r["id"]: (r["answer"], r["strict"]) for r in local["results"]}
    for result in config["results"]:
        assert result["error"] is None and result["latency_ms"] > 0
        assert (result["answer"], result["strict"]) == local_answers[result["id"]]


def test_http_mode_fails_clearly_on_a_bad_key_or_no_service(  # type: ignore[no-untyped-def]
    service: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    argv = ["eval", "--suite", "seed", "--limit", "2", "--quiet", "--out", str(tmp_path / "o")]
    assert main([*argv, "--api", service, "--api-key", "wrong-key"]) == 1
    assert "rejected the API key (401)" in capsys.readouterr().err
    assert main([*argv, "--api", f"http://127.0.0.1:{free_port()}"]) == 1
    assert "cannot reach http://127.0.0.1:" in capsys.readouterr().err
    assert main([*argv, "--api", service, "--api-key", KEY, "--compare", "chunk=120"]) == 2
    assert "over HTTP only k and backend can vary" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_http_comparison_varies_top_k(  # type: ignore[no-untyped-def]
    service: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "cmp"
    argv = ["eval", "--suite", "seed", "--api", f"{service}/v1/", "--api-key", KEY, "--limit", "4"]
    assert main([*argv, "--compare", "k=1", "k=8", "--out", str(out), "--quiet"]) == 0
    configs = {c["label"]: c for c in results(out)["configs"]}
    assert configs["k=1"]["setup"]["top_k"] == 1 and configs["k=8"]["setup"]["top_k"] == 8
    # top_k reaches the service: with one passage retrieved, every citation points into it
    assert all(r["cited_passages"] <= 1 for r in configs["k=1"]["results"])
    assert any(r["cited_passages"] > 1 for r in configs["k=8"]["results"])
    assert capsys.readouterr().out.splitlines()[0].startswith("seed (4 questions)")


def test_ctrl_c_keeps_the_questions_scored_so_far(service: str, tmp_path: Path) -> None:
    out = tmp_path / "partial"
    command = [sys.executable, "-m", "ui.cli", "eval", "--suite", "multihop", "--out", str(out)]
    process = subprocess.Popen(
        [*command, "--api", service, "--api-key", KEY],
        cwd=ROOT, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stderr is not None
    seen = b""
    while not re.search(rb"\| *\d{2,}/2045", seen):  # the bar has counted ten questions
        chunk = os.read(process.stderr.fileno(), 4096)
        assert chunk, f"eval ended early: {seen.decode(errors='replace')}"
        seen += chunk
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr.decode()
    assert b"interrupted: the results above cover the questions asked so far" in stderr
    data = results(out)
    asked = len(data["configs"][0]["results"])
    assert data["interrupted"] is True and 10 <= asked < 2045
    assert stdout.decode().startswith(f"multihop: {asked} questions")
    assert f"first {asked} questions only" in (out / "report.md").read_text()
