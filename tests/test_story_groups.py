"""Story groups as pure logic: which copies group, which member is the original, and one
passage per group's text."""

from __future__ import annotations

from eval.syndication_set import agency_story, wikinews
from index.news.minhash import decode, encode, signature, similarity
from index.news.story_groups import StoryGroups
from index.types import Chunk
from qa.retrieval.story_groups import Group, Member, choose_original, one_per_group
from qa.types import Passage


def test_signatures_are_stable_and_round_trip() -> None:
    text = agency_story()[0].body
    sig = signature(text)
    assert (decode(encode(sig)) == sig).all() and (signature(text) == sig).all()
    assert similarity(sig, signature(text.replace("Aleppo", "Aleppo city", 1))) > 0.9


def test_edited_copies_group_but_a_follow_up_days_later_does_not() -> None:
    original, copies = agency_story()
    groups = StoryGroups()
    assert groups.assign(original.id, original.body, 20241129)[0] == original.id
    for copy in copies:
        assert groups.assign(copy.id, copy.body, copy.published)[0] == original.id
    # the same text ten days later is a follow-up that reuses the background: its own story
    assert groups.assign("later", original.body, 20241209)[0] == "later"
    other = wikinews()[0]
    assert groups.assign(other.id, other.body, other.published)[0] == other.id


def test_the_agency_copy_is_the_original_even_when_published_later() -> None:
    members = [
        Member("outlet", "Daily Paper", None, 20241128),
        Member("wire", "Wire Service", "Jane Doe (Reuters)", 20241129),
        Member("other", "Other Paper", None, 20241127),
    ]
    assert choose_original(members) == "wire"
    assert choose_original([m for m in members if m.article_id != "wire"]) == "other"


def passage(article_id: str, text: str, score: float, index: int = 0) -> Passage:
    chunk = Chunk(f"{article_id}#{index}", article_id, "v", index, text, 0, len(text), None, "t")
    return Passage(chunk=chunk, score=score)


def test_one_passage_per_group_text_from_the_original() -> None:
    shared = "The port reopened on Monday after five days of floods cut the motorways to it."
    group = Group("g", (Member("orig", "AP", None, 1), Member("copy", "Paper", None, 2)))
    groups = {"orig": group, "copy": group}
    ranked = [
        passage("copy", shared, 0.9),
        passage("lone", "Something else entirely about elections in the north.", 0.8),
        passage("orig", shared, 0.7),
        passage(
            "copy", "Only the paper added this paragraph about local bakeries running out.", 0.6, 1
        ),
    ]
    kept = one_per_group(ranked, groups)
    assert [(p.chunk.article_id, p.score) for p in kept] == [
        ("orig", 0.9),
        ("lone", 0.8),
        ("copy", 0.6),
    ]
    assert group.outlets_besides("orig") == ["Paper"]
