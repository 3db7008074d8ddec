"""`python -m eval.realpages_bench` end to end on data we may ship: a "split" of two weeks made of
Wikinews articles (CC BY 2.5), asked the first held-out explainer questions; the real question sets
over scraped pages live in the git-ignored eval/local/ and are not used here."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from eval.questions import WIKINEWS_CORPUS
from eval.realpages_bench import by_week, fresh_weeks, main, named_weeks, pick_articles
from eval.suites import SuiteError, load_suite

HELDOUT = Path(__file__).resolve().parent.parent / "eval/data/explainer_heldout.jsonl"


def _split(tmp_path: Path, questions: int) -> tuple[Path, Path]:
    """A data folder with a dev split of two weeks, the questions' articles in the second one with
    three other Wikinews articles (the chat mode's distractors); and the question file."""
    rows = [json.loads(line) for line in HELDOUT.read_text().splitlines()[:questions]]
    wanted = {r["article_id"] for r in rows}
    articles = [json.loads(line) for line in WIKINEWS_CORPUS.read_text().splitlines() if line]
    asked = [a for a in articles if a["id"] in wanted]
    others = [a for a in articles if a["id"] not in wanted][:3]
    for week, pages in (("20240105", others), ("20240112", others + asked)):
        folder = tmp_path / "data" / "dev" / week
        folder.mkdir(parents=True)
        (folder / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in pages))
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return tmp_path / "data", path


def test_both_modes_are_reported_by_kind_against_the_goals(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    data, questions = _split(tmp_path, 5)
    out = tmp_path / "results.json"
    argv = ["--data", str(data), "--index", str(tmp_path / "index"), "--questions", str(questions)]
    assert main([*argv, "--out", str(out), "--verbose"]) == 0
    printed = capsys.readouterr().out
    assert (
        "real pages dev: 5 questions (4 answerable) over 1 articles of 1 weeks (20240112)"
        in printed
    )
    assert "\nchat: answered with a correct citation " in printed and "(goal 0.75: " in printed
    assert "\nscoped: answered with a correct citation " in printed and "(goal 0.80: " in printed
    assert "unanswerable refused " in printed and "\nsaid " in printed
    data_out = json.loads(out.read_text())
    assert data_out["split"] == "dev" and data_out["weeks"] == ["20240112"]
    assert data_out["figures"]["chat"]["all"]["answerable"] == 4
    assert data_out["figures"]["scoped"]["all"]["unanswerable"] == 1
    ids = [r["id"] for r in data_out["results"]]
    assert ids == [f"{m}/border-suit-0{n}" for m in ("chat", "scoped") for n in range(1, 6)]
    # the week's pages are one index, the collection eval/realtimeqa_bench.py keeps for that week
    (setup,) = data_out["setups"]
    assert setup["collection"] == "eval-rtqa-20240112-c200-o40"
    assert setup["ingest"].startswith("4 added")


def test_the_blind_split_prints_figures_only(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data, questions = _split(tmp_path, 3)
    (data / "dev").rename(data / "blind")
    for extra in (["--verbose"], ["--out", str(tmp_path / "r.json")]):
        with pytest.raises(SystemExit) as stop:
            main(["--split", "blind", "--data", str(data), *extra])
        assert stop.value.code == 2
        assert "the blind split prints figures only" in capsys.readouterr().err
    argv = ["--split", "blind", "--data", str(data), "--questions", str(questions)]
    assert main([*argv, "--index", str(tmp_path / "index"), "--modes", "scoped"]) == 0
    printed = capsys.readouterr().out
    assert "real pages blind: 3 questions (3 answerable)" in printed and "\nscoped: " in printed
    assert "border-suit" not in printed and "MISS" not in printed


def test_a_question_is_asked_in_the_week_it_names_and_a_lost_one_is_named(tmp_path: Path) -> None:
    data, questions = _split(tmp_path, 2)
    # RealTimeQA fetched some pages in several weeks: the article is now in both weeks
    first = data / "dev" / "20240105" / "articles.jsonl"
    second = (data / "dev" / "20240112" / "articles.jsonl").read_text()
    first.write_text(first.read_text() + second)
    rows = [json.loads(line) for line in questions.read_text().splitlines()]
    rows[0]["week"] = "20240105"
    rows[1]["week"] = "20240112"
    questions.write_text("".join(json.dumps(r) + "\n" for r in rows))
    loaded = load_suite(str(questions)).questions
    weeks = by_week(loaded, data / "dev", named_weeks(questions))
    assert {w: [q.id for q in qs] for w, qs in weeks.items()} == {
        "20240105": ["border-suit-01"],
        "20240112": ["border-suit-02"],
    }
    with pytest.raises(
        SuiteError, match=r"border-suit-01: its article is in weeks 20240105, 20240112"
    ):
        by_week(loaded, data / "dev", {})
    lost = [replace(loaded[0], article_id="rtqa-not-here"), loaded[1]]
    with pytest.raises(
        SuiteError, match=r"1 question\(s\) .*border-suit-01: its article is in no week"
    ):
        by_week(lost, data / "dev", named_weeks(questions))
    with pytest.raises(
        SuiteError, match=r"border-suit-02: week 20240119 does not hold its article"
    ):
        by_week(loaded, data / "dev", {"border-suit-01": "20240105", "border-suit-02": "20240119"})


def test_a_missing_question_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    data, _ = _split(tmp_path, 1)
    with pytest.raises(SystemExit) as stop:
        main(["--data", str(data), "--questions", str(tmp_path / "none.jsonl")])
    assert stop.value.code == 2 and "no such suite or question file" in capsys.readouterr().err


def _page(page_id: str, source: str, words: int) -> dict:
    return {"id": page_id, "source": source, "body": "word " * words, "title": page_id}


def test_articles_are_picked_by_id_one_site_at_a_time_and_short_pages_are_left_out() -> None:
    pages = [
        _page("d", "cnn.com", 500),
        _page("a", "usatoday.com", 900),
        _page("b", "usatoday.com", 400),
        _page("c", "cnn.com", 399),  # too short
        _page("e", "theweek.co.uk", 450),
        _page("f", "usatoday.com", 1200),
    ]
    assert [p["id"] for p in pick_articles(pages, per_week=4)] == ["a", "d", "e", "b"]
    assert [p["id"] for p in pick_articles(pages, per_week=9)] == ["a", "d", "e", "b", "f"]
    assert pick_articles([_page("x", "cnn.com", 10)]) == []


def test_fresh_weeks_are_spread_over_the_split_and_never_the_first_files_weeks() -> None:
    weeks = [f"2024{n:04d}" for n in range(26)]
    first = {"20240004", "20240013", "20240021"}  # pick_weeks(weeks, "3")
    fresh = fresh_weeks(weeks, "6")
    assert fresh == sorted(fresh) and len(fresh) == 6
    assert not first & set(fresh)
    assert fresh_weeks(weeks, "all") == [w for w in weeks if w not in first]
