"""Names in lower-cased copy (some archives and datasets store news that way): case cannot tell a
name apart there, so a claim's name is found by its words in any case, and the checks that ask
"does the passage mention this name?" stop flagging names it does mention. Cased text is read as
before: a lower-case word there is not a name."""

from __future__ import annotations

from qa.checks.actors import check_actor
from qa.checks.additions import check_additions
from qa.words import name_in

LOWER = (
    "veteran actor robert hardy is selling his enormous collection of antiques in a £ 100,000 "
    "auction . mr hardy , a close friend of richard burton , worked with the department of parks "
    "and wildlife ."
)
CLAIM = "Robert Hardy is auctioning his collection of antiques."


def test_names_found_by_their_words_in_lower_cased_copy() -> None:
    assert name_in("Robert Hardy", LOWER)
    assert name_in("Hardy", LOWER)
    assert name_in("Department of Parks and Wildlife", LOWER)
    assert not name_in("Richard Attenborough", LOWER)  # one word is not there


def test_cased_text_still_needs_the_name_written_as_a_name() -> None:
    cased = "Veteran actor Robert Smith is selling antiques, a hardy collection."
    assert not name_in("Hardy", cased)


def test_checks_pass_a_name_the_lower_cased_passage_has_and_flag_one_it_lacks() -> None:
    terms = ["robert", "hardy", "auction", "collect", "antiqu"]
    cited = set(terms)
    assert check_additions(CLAIM, terms, LOWER, cited, lambda _t: 1.0) is None
    assert check_actor(CLAIM, LOWER.split(" . ")[0], LOWER.split(" . ")[0], LOWER) is None
    other = "Michael Caine is auctioning his collection of antiques."
    reason = check_additions(other, terms, LOWER, cited, lambda _t: 1.0)
    assert reason == "addition: no cited passage mentions Michael Caine"
