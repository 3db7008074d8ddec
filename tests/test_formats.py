"""Newsroom formats (index/formats/): real parsers on our own fixtures, hostile files included.
Each bad file gets its own message and the rest of the folder still goes in."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from index.formats import MAX_FILE_BYTES
from index.formats.loaders import load_file, load_paths

FIXTURES = Path(__file__).parent / "fixtures" / "newsroom"


def one(name: str):  # type: ignore[no-untyped-def]
    result = load_file(FIXTURES / name)
    assert not result.errors and not result.skipped, (result.errors, result.skipped)
    (article,) = result.articles
    return article


def test_html_article_keeps_subheads_and_drops_boilerplate() -> None:
    article = one("article.html")
    assert article.title == "Port of Valencia reopens after floods"
    assert (article.source, article.author, article.published) == (
        "Coastline Daily",
        "Marta Ruiz",
        20241104,
    )
    assert [s.heading for s in article.sections] == [
        None,
        "Damage to the terminals",
        "What comes next",
    ]
    damage = article.sections[1]
    assert article.body[damage.start : damage.end].startswith("Engineers found mud")
    for boilerplate in ("cookies", "Related stories", "Copyright", "Sport", "Weather warnings"):
        assert boilerplate not in article.body


def test_html_live_blog_keeps_every_entry() -> None:
    article = one("liveblog.html")
    assert article.source == "Capital Times" and article.published == 20240609
    for entry in ("turnout reached 71 percent", "Farmers' Union", "Polling stations"):
        assert entry in article.body
    assert "Share on social media" not in article.body


def test_html_paywall_stub_is_skipped_with_a_reason() -> None:
    result = load_file(FIXTURES / "paywall.html")
    assert not result.articles and not result.errors
    assert "words of article text" in result.skipped[0].message


def test_html_scripts_and_event_handlers_never_reach_the_text() -> None:
    article = one("scripts.html")
    assert "old iron bridge" in article.body and "national grant" in article.body
    for hostile in ("alert", "onclick", "injected", "fetch(", "javascript:", "color:red", "steal"):
        assert hostile not in article.body and hostile not in article.title


def test_html_encodings_declared_or_wrong() -> None:
    assert "Marché de Noël" in one("latin1-declared.html").title
    result = load_file(FIXTURES / "mixed-encoding.html")
    assert not result.articles
    assert "encoding" in result.errors[0].message and "byte" in result.errors[0].message


def test_rss_items_full_content_or_partial_summary() -> None:
    result = load_file(FIXTURES / "feed-rss.xml")
    assert not result.errors
    full, summary_only = result.articles
    assert (full.id, full.source, full.author, full.published) == (
        "harbour-2024-1101-ferry",
        "Harbour Gazette",
        "Tom Hale",
        20241101,
    )
    assert "six percent" in full.body and not full.partial
    assert [s.heading for s in full.sections] == [None, "The deal"]
    assert summary_only.partial and summary_only.published == 20241031
    assert summary_only.url == "https://harbour.example/lighthouse-keeper"


def test_atom_entries() -> None:
    result = load_file(FIXTURES / "feed-atom.xml")
    first, second = result.articles
    assert first.title == "Avalanche warning raised to level four"
    assert (first.author, first.source, first.published) == (
        "Anna Berg",
        "Mountain Herald",
        20241202,
    )
    assert "off-piste" in first.body and not first.partial
    assert second.partial and second.published == 20241201
    assert first.id != second.id


def test_ninjs_1x_object() -> None:
    article = one("wire-ninjs13.json")
    assert article.id == "urn:newsml:wire.example:20241203:quake-1"
    assert (article.author, article.located, article.source) == (
        "Lena Park",
        "Port Ceres",
        "Wire Example",
    )
    assert article.item_version == 1 and article.published == 20241203
    assert article.body.count("\n\n") == 1


def test_ninjs_2x_json_lines_versions_status_and_non_text() -> None:
    result = load_file(FIXTURES / "wire-ninjs2.jsonl")
    bridge2, bridge1, dam = result.articles
    assert bridge2.id == bridge1.id and (bridge2.item_version, bridge1.item_version) == (2, 1)
    assert [s.heading for s in bridge2.sections] == [None, "Funding"]
    assert (bridge2.author, bridge2.located) == ("Omar Said", "Rivertown")
    assert dam.pubstatus == "canceled" and dam.item_version == 3
    assert "picture" in result.skipped[0].message


def test_ninjs_list_in_a_json_file(tmp_path: Path) -> None:
    path = tmp_path / "wire.json"
    path.write_text(
        '[{"uri": "urn:a", "headline": "One", "body_text": "First story text."},'
        ' {"uri": "urn:b", "headline": "Two"}]'
    )
    result = load_file(path)
    assert [a.id for a in result.articles] == ["urn:a"]
    assert result.errors[0].origin.endswith("[1]") and "body" in result.errors[0].message


def test_newsml_g2_correction_with_nitf_body() -> None:
    article = one("newsml-correction.xml")
    assert article.id == "urn:newsml:agency.example:20241205:budget"
    assert article.item_version == 2 and article.pubstatus == "usable"
    assert article.title.startswith("Correction: Parliament passes budget")
    assert (article.source, article.author, article.located) == (
        "Agency Example",
        "Ines Moreau",
        "Capital City",
    )
    assert [s.heading for s in article.sections] == [None, "Opposition reaction"]
    assert "not 21 as reported" in article.body


def test_newsml_g2_message_with_package_and_xhtml_item() -> None:
    result = load_file(FIXTURES / "newsml-package.xml")
    (article,) = result.articles
    assert article.title == "Rail line to the coast electrified"
    assert [s.heading for s in article.sections] == [None, "Trains"]


@pytest.mark.parametrize("name", ["bomb.xml", "xxe.xml"])
def test_xml_bombs_and_external_entities_are_refused_unexpanded(name: str) -> None:
    started = time.perf_counter()
    result = load_file(FIXTURES / name)
    assert time.perf_counter() - started < 2
    assert not result.articles
    assert "refused" in result.errors[0].message and "ENTITY" in result.errors[0].message


def test_a_200_mb_feed_is_refused_by_size_unread(tmp_path: Path) -> None:
    big = tmp_path / "huge-feed.xml"
    with big.open("wb") as f:
        f.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>')
        item = b"<item><title>Item</title><description>" + b"x" * 4000 + b"</description></item>"
        for _ in range(200_000_000 // len(item) + 1):
            f.write(item)
        f.write(b"</channel></rss>")
    assert big.stat().st_size > 200_000_000 > MAX_FILE_BYTES
    (tmp_path / "ok.txt").write_text("Fine title\nA perfectly fine article body.")
    started = time.perf_counter()
    result = load_paths([tmp_path])
    assert time.perf_counter() - started < 2  # refused by its size, never parsed
    assert [a.title for a in result.articles] == ["Fine title"]
    (error,) = result.errors
    assert error.origin.endswith("huge-feed.xml") and "over the limit" in error.message


def test_the_whole_folder_every_file_accounted_for(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    shutil.copytree(FIXTURES, folder)
    result = load_paths([folder])
    names = {Path(x.origin.split(":")[0].split("#")[0].split("[")[0]).name for x in result.errors}
    skipped = {Path(x.origin.split(":")[0]).name for x in result.skipped}
    loaded = {Path(a.origin.split(":")[0].split("#")[0]).name for a in result.articles}
    every = {p.name for p in folder.iterdir()}
    assert names == {"bomb.xml", "xxe.xml", "mixed-encoding.html"}
    assert {"catalog.xml", "settings.json", "table.csv", "paywall.html"} <= skipped
    assert loaded | names | skipped == every  # nothing dropped without a name
    assert "unknown format (.csv)" in next(s.message for s in result.skipped if "table" in s.origin)


def test_ninjs_json_lines_under_a_json_name(tmp_path: Path) -> None:
    path = tmp_path / "wire.json"
    path.write_text(
        '{"uri": "urn:l1", "headline": "A", "body_text": "One body."}\n'
        '{"uri": "urn:l2", "headline": "B", "body_text": "Two body."}\n'
    )
    assert [a.id for a in load_file(path).articles] == ["urn:l1", "urn:l2"]
