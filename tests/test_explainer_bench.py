"""`python -m eval.explainer_bench` end to end on a few questions (their articles only): both modes,
figures by kind, and the LLM backend through the fake OpenAI-compatible server (real HTTP, real
`openai` client) configured from the environment like any deployment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.explainer_bench import main
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import fake_fixture  # noqa: F401 (the `fake` fixture)


def test_both_modes_are_reported_by_kind(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "results.json"
    argv = [
        "--limit",
        "9",
        "--only-asked",
        "--data-dir",
        str(tmp_path / "data"),
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "explainer questions: 9 (7 answerable) over 1 Wikinews articles" in printed
    assert "ingest 1 added" in printed
    for mode in ("chat", "scoped"):
        assert f"\n{mode}: answered with a correct citation " in printed
    assert "unanswerable refused" in printed and "\nsaid " in printed
    data = json.loads(out.read_text())
    assert set(data["figures"]) == {"chat", "scoped"}
    assert data["figures"]["chat"]["all"]["answerable"] == 7
    assert data["figures"]["chat"]["all"]["unanswerable"] == 2
    ids = [r["id"] for r in data["results"]]
    assert len(ids) == 18 and ids[0] == "chat/syria-withdrawal-01" and ids[9].startswith("scoped/")
    assert data["setup"]["collection"] == "eval-explainer-asked-c200-o40"
    # a second run reuses the collection
    assert main([*argv[:-2]]) == 0
    assert "ingest 0 added, 0 updated, 1 unchanged" in capsys.readouterr().out


def test_the_llm_backend_is_configured_from_the_environment(
    tmp_path: Path, fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("NEWSDESK_LLM__BASE_URL", fake.url)
    monkeypatch.setenv("NEWSDESK_LLM__MODEL", "good")
    out = tmp_path / "results.json"
    argv = ["--backend", "openai", "--limit", "4", "--only-asked", "--modes", "scoped"]
    assert main([*argv, "--data-dir", str(tmp_path / "data"), "--out", str(out)]) == 0
    assert "backend openai" in capsys.readouterr().out
    results = json.loads(out.read_text())["results"]
    assert [r["id"].split("/")[0] for r in results] == ["scoped"] * 4
    assert all(r["backend"] == "openai" and r["degraded"] is None for r in results)
    assert fake.requests  # the questions reached the server


def test_a_bad_limit_is_a_usage_error(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--limit", "0"])
    assert stop.value.code == 2 and "--limit must be at least 1" in capsys.readouterr().err


def test_another_question_file_runs_over_the_same_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    heldout = Path(__file__).resolve().parent.parent / "eval/data/explainer_heldout.jsonl"
    questions = tmp_path / "five.jsonl"
    questions.write_text("".join(heldout.read_text().splitlines(True)[:5]))
    out = tmp_path / "results.json"
    argv = ["--questions", str(questions), "--only-asked", "--modes", "scoped"]
    assert main([*argv, "--data-dir", str(tmp_path / "data"), "--out", str(out)]) == 0
    assert (
        "explainer questions: 5 (4 answerable) over 1 Wikinews articles" in capsys.readouterr().out
    )
    data = json.loads(out.read_text())
    assert [r["id"] for r in data["results"]] == [f"scoped/border-suit-0{n}" for n in range(1, 6)]
    assert data["setup"]["collection"] == "eval-explainer-asked-c200-o40"


def test_a_missing_question_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--questions", str(tmp_path / "none.jsonl")])
    assert stop.value.code == 2 and "no such suite or question file" in capsys.readouterr().err
