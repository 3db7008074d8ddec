"""News structure at ingest (index/news/structure.py): headings in every format, paragraphs, the lede,
speakers; and bad input that must be ingested with sensible structure or none, never an error."""

from __future__ import annotations

import json

import pytest

from index.chunking import ChunkingConfig, chunk_article
from index.formats.loaders import parse_jsonl, parse_record
from index.news.attribution import attribute_all
from index.news.structure import find_sections, heading_lines

SEED_AS_JSONL_BODY = (
    "Rebels launched their biggest offensive in years this week.\n"
    "- Why now? -\n"
    "The rebels attacked the same day a truce came into effect in Lebanon.\n"
    "- What major powers are at play? -\n"
    "The Kremlin said it hoped Syria would restore order, while Tehran blamed a plot."
)


def _words(text: str) -> int:
    return len(text.split())


def _chunks(body: str, title: str = "A title"):  # type: ignore[no-untyped-def]
    article = parse_record({"title": title, "body": body}, "test:1")
    return article, chunk_article(article, _words, ChunkingConfig())


def test_dash_headings_inside_a_json_lines_body_become_sections() -> None:
    article, chunks = _chunks(SEED_AS_JSONL_BODY)
    assert [s.heading for s in article.sections] == [
        None,
        "Why now?",
        "What major powers are at play?",
    ]
    assert {c.section for c in chunks} == {None, "Why now?", "What major powers are at play?"}


def test_markdown_headings_and_subheads_between_paragraphs() -> None:
    body = (
        "The port reopened on Monday after a week of strikes, officials said.\n\n"
        "How it happened\n\n"
        "Dock workers walked out after talks on pay broke down, the union said.\n\n"
        "## What comes next\n\n"
        "Talks will resume next week, the ministry said."
    )
    assert [h for _, _, h in heading_lines(body)] == ["How it happened", "What comes next"]
    sections = find_sections(body)
    assert [s.heading for s in sections] == [None, "How it happened", "What comes next"]


def test_an_interview_question_line_is_no_heading() -> None:
    body = (
        "The researcher spoke to us about the study.\n\n"
        "What led you to conduct this research on distant stars?\n\n"
        "We wanted to know how planets form around young stars, and why so few are found."
    )
    assert heading_lines(body) == []


def test_paragraphs_lede_and_speakers_are_stored_per_sentence() -> None:
    body = (
        "A building collapsed on Monday in Magnitogorsk. At least 39 people died.\n\n"
        '"The search is complete," Deputy Minister Alexander Chupriyan told TASS.\n\n'
        "He said the cause was a gas leak."
    )
    _, chunks = _chunks(body)
    tags = [t for c in chunks for t in c.tags]
    assert [t.paragraph for t in tags] == [0, 0, 1, 2]
    assert [t.lede for t in tags] == [True, True, False, False]
    assert tags[2].role == "quote" and tags[2].speaker.endswith("Alexander Chupriyan")
    assert tags[3].speaker == tags[2].speaker  # "He" is the last named speaker


def test_a_quotation_over_several_sentences_keeps_its_speaker() -> None:
    found = attribute_all(
        [
            'Senator Lindsey Graham spoke on Fox News, "This is going to lead to a comeback.',
            "Nothing is better for them than this conflict.",
            'So this is a big win for them."',
            "The vote is on Tuesday.",
        ]
    )
    assert [f.speaker for f in found[:3]] == ["Senator Lindsey Graham"] * 3
    assert found[3].role == ""


def test_tags_survive_the_store_round_trip(engine) -> None:  # type: ignore[no-untyped-def]
    record = {"id": "port", "title": "Port reopens", "body": SEED_AS_JSONL_BODY}
    engine.ingest_loaded(parse_jsonl(json.dumps(record), "port.jsonl"))
    stored = list(engine.store.iter_chunks())
    assert stored and all(len(s.chunk.tags) == len(s.chunk.sentences) for s in stored)
    speakers = {t.speaker for s in stored for t in s.chunk.tags}
    assert "Kremlin" in speakers


BAD_BODIES = {
    "no paragraphs": "word " * 400,
    "one giant paragraph": " ".join(
        f"Sentence {i} says something, officials said." for i in range(300)
    ),
    "all capitals": "THE PORT REOPENED ON MONDAY. OFFICIALS SAID TALKS WILL RESUME.\n\nSTRIKES ENDED.",
    "quotes without speaker": '"It is over." "We won." "Nobody expected it."',
    "nested quotes": 'She said: "He told me \'they said "no" twice\' and left," adding nothing.',
    "heading on every line": "\n".join(f"- Heading {i} -" for i in range(20))
    + "\nOne line of text.",
    "short lines only": "\n".join(f"Line {i}" for i in range(30)),
}


@pytest.mark.parametrize("name", sorted(BAD_BODIES))
def test_bad_input_is_ingested_with_structure_or_none(name: str) -> None:
    article, chunks = _chunks(BAD_BODIES[name])
    assert chunks, name
    for chunk in chunks:
        assert len(chunk.tags) == len(chunk.sentences)
        assert article.body[chunk.start : chunk.end] == chunk.text
    if name in ("heading on every line", "short lines only"):
        # a heading on every line is a list, not sections
        assert len(article.sections) <= 2
