"""Story groups as pure logic: which copies group, which member is the original, and one
passage per group's text."""

from __future__ import annotations

from eval import soak
from eval.syndication_set import agency_story, wikinews
from index.news.facts import disagree, fact_pairs, values
from index.news.minhash import decode, encode, signature, similarity
from index.news.story_groups import JOIN_SIMILARITY, StoryGroups
from index.news.story_groups import Member as StoredMember
from index.types import Chunk
from qa.retrieval.story_groups import Group, Member, best_match, choose_original, one_per_group
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


# -- facts: a copy repeats the story's facts, a template story changes them ---------------------

LEDE = (
    "The city council of Brackley voted 7 to 2 on Monday to close the Elm Street depot, "
    "Mayor Anne Colby said. "
)
MIDDLE = "The depot employs 40 drivers, who will move to the Westgate site by March. "
END = "Unions said they would study the plan before responding."


def test_facts_disagree_only_where_a_figure_name_or_date_was_changed() -> None:
    story = fact_pairs(LEDE + MIDDLE + END)
    changed = [
        LEDE.replace("7 to 2", "6 to 3") + MIDDLE + END,  # figures
        LEDE.replace("Anne Colby", "Ruth Harlan") + MIDDLE + END,  # a person
        LEDE.replace("Brackley", "Dunmore") + MIDDLE + END,  # a place
        LEDE.replace("Monday", "Thursday") + MIDDLE + END,  # a date
        LEDE + MIDDLE.replace("40", "45") + END,
    ]
    for text in changed:
        assert disagree(story, fact_pairs(text)) and disagree(fact_pairs(text), story), text
    edited = [
        LEDE + END,  # a sentence dropped
        LEDE + MIDDLE + "A spokesman for Westgate Logistics, Tom Reyes, welcomed it. " + END,
        LEDE.replace("voted", "decided") + MIDDLE + END,  # reworded, no fact changed
        LEDE + MIDDLE + END.replace("Unions", "The unions"),
    ]
    for text in edited:
        assert not disagree(story, fact_pairs(text)), text
    # one name, two spellings of it: the gazetteer's key
    assert values("Talks in Moscow.") == values("Talks in Russia.") == {"@Russia"}


def templates() -> list[tuple[str, str]]:
    """480 soak notes (place and tonnage repeat after 360, each names its own convoy) and 480
    results notes that differ in one figure or one name."""
    notes = [(f"soak-{n}", soak.article(n)["body"]) for n in range(480)]
    counties = ["Adair", "Bexar", "Clay", "Dallam", "Ector", "Floyd", "Gaines", "Hale"]
    for n in range(480):
        county = counties[n % len(counties)]
        text = (
            f"With all precincts reporting in {county} County, the incumbent took {1000 + n} "
            "votes and the challenger 812, the county clerk said on Wednesday. Turnout was "
            "lower than in the last election, and the result will be certified next week "
            "after provisional ballots are counted by the election board."
        )
        notes.append((f"county-{n}", text))
    return notes


def test_template_stories_never_group() -> None:
    groups = StoryGroups()
    assigned = {i: groups.assign(i, text, 20241201)[0] for i, text in templates()}
    assert [i for i, g in assigned.items() if g != i] == []
    # the wording alone would group them: most pairs reach the copies' text similarity
    sigs = {i: signature(text) for i, text in templates()}
    pairs = [(f"soak-{n}", f"soak-{n + 360}") for n in range(120)]
    pairs += [(f"county-{n}", f"county-{n + 8}") for n in range(120)]
    assert sum(similarity(sigs[a], sigs[b]) >= JOIN_SIMILARITY for a, b in pairs) > 150


def test_a_copy_joins_only_through_facts_it_shares_with_the_original() -> None:
    groups = StoryGroups()
    body = LEDE + MIDDLE + END + " " + " ".join(wikinews()[3].body.split()[:120])
    assert groups.assign("original", body, 20241201)[0] == "original"
    trimmed = body.replace(MIDDLE, "")
    assert groups.assign("trimmed", trimmed, 20241201)[0] == "original"
    # the trimmed copy with the sentence put back under another figure: close to the trimmed
    # copy and agreeing with it, but it changes a figure of the original
    changed = trimmed.replace(END, MIDDLE.replace("40", "45") + END)
    assert groups.assign("changed", changed, 20241201)[0] == "changed"


def test_a_stored_article_without_recorded_facts_vouches_for_no_copy() -> None:
    original, copies = agency_story()
    groups = StoryGroups()
    member = StoredMember(original.id, 20241129)
    groups.load([(original.id, signature(original.body), member, None)])
    assert groups.assign(copies[0].id, copies[0].body, 20241129)[0] == copies[0].id


def test_a_copy_passage_stating_more_than_the_original_is_kept_and_cited() -> None:
    shared = "The port reopened on Monday after five days of floods cut the motorways to it."
    added = shared + " Harbour master Ines Brandt said 30 ships were waiting."
    original = Chunk("orig#0", "orig", "v", 0, shared, 0, len(shared), None, "t")
    assert best_match(shared, [original]) is original
    assert best_match(added, [original]) is None  # Ines Brandt and 30 ships: only the copy's
    group = Group("g", (Member("orig", "AP", None, 1), Member("copy", "Paper", None, 2)))
    groups = {"orig": group, "copy": group}
    kept = one_per_group([passage("copy", added, 0.9), passage("orig", shared, 0.8)], groups)
    assert [p.chunk.article_id for p in kept] == ["copy"]  # it states all the original's does
    kept = one_per_group([passage("orig", shared, 0.9), passage("copy", added, 0.8)], groups)
    assert [p.chunk.article_id for p in kept] == ["orig", "copy"]
