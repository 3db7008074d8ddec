import json
from pathlib import Path

from index.formats.loaders import derived_id, load_paths, parse_published, parse_text
from tests.conftest import SEED_FILE


def test_seed_format_title_sections_and_byline() -> None:
    result = load_paths([SEED_FILE])
    assert not result.errors
    (article,) = result.articles
    assert article.id == "aleppo-offensive"
    assert article.title == "What do we know about Syrian rebels' major offensive on Aleppo?"
    assert (article.author, article.source) == ("O.Byrne", "IP")
    assert [s.heading for s in article.sections] == [
        None,
        "Why now?",
        "What major powers are at play?",
        "What about the government?",
    ]
    assert "O.Byrne--IP" not in article.body and not article.body.startswith("What do we know")
    why_now = article.sections[1]
    assert article.body[why_now.start :].startswith("On Wednesday, Hayat Tahrir al-Sham")
    assert "- Why now? -" not in article.body[why_now.start : why_now.end]


def test_markdown_front_matter_and_headings() -> None:
    text = (
        "---\ntitle: Floods in Valencia\npublished: 2024-10-30\nsource: Wire\n"
        "url: https://example.org/a\n---\n\nIntro line.\n\n## Damage\n\nRoads were cut.\n"
    )
    (article,) = parse_text(text, "floods.md").articles
    assert (article.title, article.published, article.source) == (
        "Floods in Valencia",
        20241030,
        "Wire",
    )
    assert article.url == "https://example.org/a" and article.id == "floods"
    assert [s.heading for s in article.sections] == [None, "Damage"]
    assert (
        article.body[article.sections[1].start : article.sections[1].end].strip()
        == "Roads were cut."
    )


def test_markdown_title_from_first_heading() -> None:
    (article,) = parse_text("# The Title\n\nBody text here.", "x.md").articles
    assert article.title == "The Title" and article.body == "Body text here."


def test_jsonl_records_ids_dates_and_bad_lines() -> None:
    lines = [
        json.dumps(
            {
                "id": "a1",
                "title": "One",
                "body": "First body.",
                "published_at": "2023-09-28T12:00:00+00:00",
            }
        ),
        "{not json",
        json.dumps({"title": "Two", "body": "Second body.", "source": "The Verge"}),
        json.dumps({"title": "No body"}),
        json.dumps(["a", "list"]),
        json.dumps({"title": "Bad date", "body": "x", "published_at": "someday"}),
    ]
    result = parse_text("\n".join(lines), "feed.jsonl")
    assert [a.title for a in result.articles] == ["One", "Two"]
    assert result.articles[0].id == "a1" and result.articles[0].published == 20230928
    assert result.articles[1].id == derived_id("Two") and result.articles[1].source == "The Verge"
    assert [e.origin for e in result.errors] == [
        "feed.jsonl:2",
        "feed.jsonl:4",
        "feed.jsonl:5",
        "feed.jsonl:6",
    ]
    assert "malformed JSON" in result.errors[0].message
    assert "date" in result.errors[3].message


def test_ids_are_stable_across_loads() -> None:
    assert derived_id("Same title") == derived_id("Same title") != derived_id("Other title")
    assert load_paths([SEED_FILE]).articles[0].id == load_paths([SEED_FILE]).articles[0].id


def test_bad_files_are_skipped_and_named(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("A title\nSome body sentence.\n")
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "latin1.txt").write_bytes("Titre\nCafé crème".encode("latin-1"))
    (tmp_path / "title-only.md").write_text("---\ntitle: Nothing else\n---\n")
    result = load_paths([tmp_path, tmp_path / "missing.txt"])
    assert [a.id for a in result.articles] == ["good"]
    messages = {Path(e.origin).name: e.message for e in result.errors}
    assert messages["empty.txt"] == "empty file"
    assert "binary" in messages["binary.txt"]
    assert "not UTF-8" in messages["latin1.txt"]
    assert "empty body" in messages["title-only.md"]
    assert "no such file" in messages["missing.txt"]


def test_published_dates() -> None:
    assert parse_published("2024-11-29") == 20241129
    assert parse_published("2023-10-01T14:00:29+00:00") == 20231001
    assert parse_published(20241129) == 20241129
    assert parse_published(None) is None
