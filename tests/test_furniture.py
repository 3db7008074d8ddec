"""Page furniture and sentence boundaries on text written here in the style of scraped news pages
(bylines, datelines, credits, embedded posts, promos): nothing is copied from a real page."""

from __future__ import annotations

import json

import pytest

from index.chunking import ChunkingConfig, chunk_article, page_furniture
from index.formats.loaders import parse_record
from index.news.furniture import dateline_length, line_role, line_roles
from index.news.structure import find_sections
from index.sentences import split_sentences


def words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("CNN —", "dateline"),
        ("Hong Kong CNN Business —", "dateline"),
        ("By Maya Thornton and Luis Ortega, CNN", "byline"),
        ("The council met on a rainy Tuesday. (AP Photo/Dana Whitcomb)", "caption"),
        ("Lena Park/AFP/Getty Images", "caption"),
        ("Hide Caption 3 of 12", "caption"),
        (
            "Crews clear a road on Friday. Jo Bess/AP A van is buried under snow. Kim Lo/Getty "
            "Images A man digs out his car on Saturday.",
            "caption",
        ),
        (
            "What a night for the city! pic.twitter.com/AbC123xyz — Sam Rivera (@samriv) "
            "January 5, 2023",
            "embed",
        ),
        ("Kind words. — Dee Marsh (@deemarsh) March 2, 2024", "embed"),
        ("Related: Why the bridge vote keeps slipping", "promo"),
        # a link label glued to the link's text, as scraped: a sentence end or commas do not
        # make the headline prose
        ("More:Harbor Bank sales rise 10%. Now it could open a branch in Elmford", "promo"),
        ("Read more:Father of Dana Ruiz, teen hurt in crash, says he's 'grateful'", "promo"),
        ("RELATED:Storm shuts the coast road, sending crews north", "promo"),
        ("Updates:Flood toll tops 400 as rain returns to the valley, officials say", "promo"),
        ("Follow every game: Latest Scores and Schedules", "promo"),
        ("Sign up for our free Morning Brief newsletter.", "promo"),
        ("Tara Quinn contributed to this report.", "credit"),
        ("Reporting by Ana Silva; Editing by Tom Hale", "credit"),
        ("Updated 10:32 AM EDT, Thu January 5, 2023", "updated"),
        ("5:11 PM EST, Thu January 5, 2023", "updated"),
        ("© 2023 Example News Network. All rights reserved.", "copyright"),
        ("college.example.com", "credit"),
        ("https://www.example.com/story/news/2023/01/06/bridge-vote/", "credit"),
    ],
)
def test_furniture_lines_get_their_role(line: str, role: str) -> None:
    assert line_role(line) == role


@pytest.mark.parametrize(
    "line",
    [
        "The drought contributed to the fires.",
        "Several factors contributed.",
        "Published in 2019, the report found it.",
        "Apple — the company said — will appeal.",
        "U.S. officials said the talks would resume.",
        "Video shows the moment the roof fell.",
        "He said: “We will rebuild.”",
        "Editor's note: This story was updated with the verdict.",
        "The mayor, Jane Doe, said the plan would cost $2 million.",
        "How it happened",
        "Fans went to example.com.",
        "Oakland, Berkeley and San Jose are next.",
        "Elmford:Mayor Ana Silva signed the budget on Tuesday.",  # a place glued to a roundup item
        "At 8:10 a.m. Tuesday, with a single needle prick",  # a clock time, a cut sentence
        "The vote was 5:4 in favour.",
    ],
)
def test_prose_is_not_furniture(line: str) -> None:
    assert line_role(line) is None


def test_datelines_are_prefixes_with_a_place_or_an_outlet() -> None:
    for line, dateline in [
        ("Seoul, South Korea (CNN) — North Korea fired a missile.", "Seoul, South Korea (CNN) — "),
        ("ANAHEIM, Calif. – Harrison Vale lit up the stage.", "ANAHEIM, Calif. – "),
        ("LONDON (Reuters) - Shares fell.", "LONDON (Reuters) - "),
        ("WASHINGTON ― The vote slipped again.", "WASHINGTON ― "),
    ]:
        assert line[: dateline_length(line)] == dateline
    for line in [
        "President Joe Biden — who spoke first — left early.",
        "NASA — the agency said — will try again.",
        "U.S. officials — two of them — said so.",
    ]:
        assert dateline_length(line) == 0


def test_a_name_alone_is_a_credit_at_the_top_but_a_subhead_between_paragraphs() -> None:
    body = (
        "Priya Raman\n\nNorthfield Courier\n\nThe council approved the budget on Monday after a "
        "long debate about the bridge.\n\nThe Road Ahead\n\nWork on the bridge starts in May and "
        "will take two years, the city engineer said."
    )
    roles = {body[a:b]: role for a, b, role in line_roles(body)}
    assert roles["Priya Raman"] == roles["Northfield Courier"] == "credit"
    assert roles["The Road Ahead"] is None
    assert [s.heading for s in find_sections(body)] == [None, "The Road Ahead"]


def test_a_list_of_authors_at_the_top_is_a_credit() -> None:
    body = (
        "Karl Baker, Esteban Parra, and Xerxes Wilson\n\nThe News Journal\n\nTwo firefighters "
        "were killed in a rowhouse blaze early Saturday.\n\nOakland, Berkeley and San Jose\n\n"
        "The three cities share the cost of the new station, the chief said on Sunday."
    )
    roles = {body[a:b]: role for a, b, role in line_roles(body)}
    assert roles["Karl Baker, Esteban Parra, and Xerxes Wilson"] == "credit"
    assert roles["The News Journal"] == "credit"
    assert roles["Oakland, Berkeley and San Jose"] is None  # between paragraphs: a subhead


PAGE = """By Maya Thornton, CNN

Updated 10:32 AM EDT, Thu January 5, 2023

Riverton, Oregon CNN —

The Riverton city council voted 5-2 on Tuesday to close the Elm Street bridge for repairs, \
starting Oct. 7, after inspectors found cracks in two of its supports.

Related: Why the bridge vote keeps slipping

The bridge carries about 12,000 cars a day, Dr. Nora Feld, the city engineer, said at 7 p.m. \
Tuesday. U.S. transport officials will pay for No. 2 of the three repair phases.

Huge turnout at tonight's meeting! pic.twitter.com/Zx81QwErty — Sam Rivera (@samriv) January 3, 2023

“We cannot wait any longer,” Mayor Tom Alvarez said.

Sign up for our free Morning Brief newsletter.

Luis Ortega contributed to this report.

© 2023 Example News Network. All rights reserved."""


def test_a_scraped_page_chunks_only_its_prose(embedder) -> None:
    article = parse_record({"title": "Bridge to close", "body": PAGE}, "page")
    chunks = chunk_article(article, embedder.count_tokens, ChunkingConfig())
    sentences = [article.body[a:b] for c in chunks for a, b in c.sentences]
    assert sentences == [
        "The Riverton city council voted 5-2 on Tuesday to close the Elm Street bridge for "
        "repairs, starting Oct. 7, after inspectors found cracks in two of its supports.",
        "The bridge carries about 12,000 cars a day, Dr. Nora Feld, the city engineer, said at "
        "7 p.m. Tuesday.",
        "U.S. transport officials will pay for No. 2 of the three repair phases.",
        "“We cannot wait any longer,” Mayor Tom Alvarez said.",
    ]
    for chunk in chunks:
        assert article.body[chunk.start : chunk.end] == chunk.text
        assert "pic.twitter" not in chunk.text and "Related:" not in chunk.text
    lede = [t.lede for c in chunks for t in c.tags]
    assert lede[0]  # the story's first sentence leads, not the byline or the dateline
    roles = [role for _, _, role in page_furniture(article)]
    assert roles == [
        "byline",
        "updated",
        "dateline",
        "promo",
        "embed",
        "promo",
        "credit",
        "copyright",
    ]


def test_a_dateline_opening_the_first_sentence_is_cut_off_it(embedder) -> None:
    body = "Seoul, South Korea (CNN) — North Korea fired a missile on Monday. It fell at sea."
    article = parse_record({"title": "Missile", "body": body}, "page")
    (chunk,) = chunk_article(article, embedder.count_tokens, ChunkingConfig())
    assert chunk.text == "North Korea fired a missile on Monday. It fell at sea."
    assert page_furniture(article) == ((0, body.index("North"), "dateline"),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The rules take effect for the Oct. 7 drawing, officials said. They apply statewide.",
            [
                "The rules take effect for the Oct. 7 drawing, officials said.",
                "They apply statewide.",
            ],
        ),
        (
            "“Yes,” Dr. Lena Ortiz said. She spoke Thursday.",
            ["“Yes,” Dr. Lena Ortiz said.", "She spoke Thursday."],
        ),
        (
            "U.S. officials said talks start at 7 p.m. Tuesday. They were delayed.",
            ["U.S. officials said talks start at 7 p.m. Tuesday.", "They were delayed."],
        ),
        (
            "The U.S. is the No. 2 producer. Peru is No. 1.",
            ["The U.S. is the No. 2 producer.", "Peru is No. 1."],
        ),
        (
            "Shares rose 3.5% to $12.40 at 4 p.m. ET. The index fell.",
            ["Shares rose 3.5% to $12.40 at 4 p.m. ET.", "The index fell."],
        ),
        ("Author J.R. Tolan spoke. Then he left.", ["Author J.R. Tolan spoke.", "Then he left."]),
        (
            "It was made in the U.S. The plant closed.",
            ["It was made in the U.S.", "The plant closed."],
        ),
        (
            "“I’m done... and I mean it,” she said. Then she left.",
            ["“I’m done... and I mean it,” she said.", "Then she left."],
        ),
    ],
)
def test_sentences_respect_abbreviations_initials_numbers_and_times(
    text: str, expected: list[str]
) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == expected


@pytest.mark.parametrize(
    "body",
    [
        "By Maya Thornton, CNN\n\nUpdated 10:32 AM EDT, Thu January 5, 2023\n\n"
        "Related: Why the bridge vote keeps slipping\n\n© 2023 Example News Network.",
        "Big night! pic.twitter.com/Zx81QwErty — Sam Rivera (@samriv) January 3, 2023",
        "By Maya Thornton and Luis Ortega",
    ],
)
def test_a_page_of_furniture_only_has_no_chunks_and_no_error(body: str, embedder) -> None:
    article = parse_record({"title": "Nothing here", "body": body}, "page")
    assert chunk_article(article, embedder.count_tokens, ChunkingConfig()) == []
    assert page_furniture(article)


def test_hostile_text_is_chunked_without_error(embedder) -> None:
    abbreviations = "Dr. Mr. Mrs. U.S. No. St. Oct. Jan. p.m. " * 25  # 225 in a row
    unpunctuated = " ".join(["the council met again and talked about the bridge"] * 60)
    for body in (abbreviations, unpunctuated):
        article = parse_record({"title": "Odd", "body": body}, "page")
        chunks = chunk_article(article, embedder.count_tokens, ChunkingConfig())
        assert chunks and all(embedder.count_tokens(c.text) <= 200 for c in chunks)
        covered = sum(words(article.body[a:b]) for c in chunks for a, b in c.sentences)
        assert covered >= words(body)  # nothing lost (overlap may repeat some)


def test_ingest_stores_the_furniture_and_answers_from_the_prose(engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"id": "bridge", "title": "Bridge to close", "body": PAGE},
        {"id": "furniture-only", "title": "Nothing here", "body": "By Maya Thornton, CNN"},
    ]
    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    report = engine.ingest_paths([path])
    assert not report.failed and sorted(report.added) == ["bridge", "furniture-only"]
    record = engine.article("bridge")
    assert [role for _, _, role in record.furniture][:3] == ["byline", "updated", "dateline"]
    answer = engine.ask("What happened to the Elm Street bridge?", backend="extractive")
    assert not answer.refused
    quoted = " ".join(c.quote for c in answer.citations)
    assert "Riverton city council voted" in quoted
    for junk in ("CNN —", "By Maya", "pic.twitter", "Related:", "newsletter", "contributed"):
        assert junk not in answer.answer and junk not in quoted
