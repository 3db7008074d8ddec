"""The relation check (qa/checks/relations.py) through spaCy's real parser: it flags a claim whose
agent and patient are the cited sentence's the other way round, in either voice, and passes the
same relation restated (passive for active, another sentence of the passage) or left unparsed."""

from __future__ import annotations

import pytest

from qa.checks.relations import check_relation, may_reverse

SUED = "The council sued the water company over the spill, officials said."
BEATEN = "Smith was beaten by Jones in the final on Sunday."


@pytest.mark.parametrize(
    ("claim", "sentence", "passage"),
    [
        (
            "The water company sued the council over the spill.",
            SUED,
            "council did 'sue' to company",
        ),
        ("Smith beat Jones in the final.", BEATEN, "Jones did 'beat' to Smith"),
        ("Jones was beaten by Smith in the final.", BEATEN, "Jones did 'beat' to Smith"),
    ],
)
def test_roles_swapped_are_flagged_with_the_passage_reading(
    claim: str, sentence: str, passage: str
) -> None:
    reason = check_relation(claim, sentence, [sentence])
    assert reason is not None and passage in reason
    assert reason.startswith("who did what to whom differs")


@pytest.mark.parametrize(
    ("claim", "sentence", "others"),
    [
        ("The council sued the water company.", SUED, []),
        ("Jones beat Smith in the final.", BEATEN, []),  # active for passive: same roles
        # the aligned sentence is another one; the passage states the claim's order elsewhere
        ("Jones beat Smith in the final.", "It rained all day.", [BEATEN]),
        # a pronoun's referent is unknown here: nothing to compare
        ("He beat Smith in the final.", BEATEN, []),
        # another verb: a paraphrase the parse does not equate, left to the other checks
        ("Smith lost to Jones in the final.", BEATEN, []),
    ],
)
def test_same_relation_restated_passes(claim: str, sentence: str, others: list[str]) -> None:
    assert check_relation(claim, sentence, [sentence, *others]) is None


def test_prefilter_needs_two_shared_words_out_of_order_or_in_another_voice() -> None:
    assert may_reverse("The company sued the council.", "The council sued the company.")
    assert may_reverse("Smith beat Jones.", "Smith was beaten by Jones.")
    assert not may_reverse("The council sued the company.", "The council sued the company.")
    assert not may_reverse("The council sued the company.", "Rain fell on the council.")
