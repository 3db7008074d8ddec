from qa.asking.asked import read
from qa.asking.counted import counted_nouns
from qa.asking.hinges import asked_participle, measured_words
from qa.asking.hinges import hinge_met as met_by


def hinge_met(kind: str, question: str, sentence: str) -> bool:
    """The hinge check on the question's reading, which must be of the kind the case is about."""
    asked = read(question)
    assert asked.kind == kind
    return met_by(asked, sentence)


def test_counted_noun_skips_qualifying_names_and_generic_nouns() -> None:
    assert counted_nouns("How many US troops are in Iraq?") == ["troops"]
    assert counted_nouns("How many otters were tagged?") == ["otters"]
    assert counted_nouns("How many flu cases has Peru had?") == ["flu", "cases"]
    assert counted_nouns("How many people died?") == []
    assert counted_nouns("How many of the dead were children?") == []


def test_count_needs_a_number_near_the_counted_noun() -> None:
    q = "How many otters were tagged?"
    assert hinge_met("count", q, "The team tagged 14 river otters last spring.")
    assert hinge_met("count", q, "Otters, who number 300 in the bay, were tagged.")
    assert hinge_met("count", q, "Hundreds of otters (Lutra lutra, the Eurasian kind) were tagged.")
    # a number about something else, far from the noun
    assert not hinge_met(
        "count", q, "In a paper in Volume Two of the journal, biologists say otters like rivers."
    )
    assert hinge_met("count", "How many people died?", "Seventeen died in the blaze.")
    assert hinge_met(
        "count", "How many flu cases has Peru had?", "Peru has had 5,000 cases of flu."
    )


def test_count_of_a_measured_subject_needs_its_family() -> None:
    q = "How much have bread prices gone up?"
    assert measured_words(q) == ["prices"]
    assert hinge_met("count", q, "Bread now costs 20% more than a year ago.")
    assert not hinge_met("count", q, "Shops limited buyers to two loaves each.")
    assert measured_words("How much is the merger worth?") == []


def test_yes_no_participle_must_be_met_by_its_family() -> None:
    q = "Has the ferry captain been arrested?"
    assert asked_participle(q) == "arrested"
    assert hinge_met("yesno", q, "Police detained the captain on Monday.")
    assert not hinge_met("yesno", q, "Survivors blamed the captain for the delay.")
    assert asked_participle("Is the bridge open?") is None
    # a short phrase may follow the participle
    q = "Has anyone been charged with the robbery?"
    assert asked_participle(q) == "charged"
    assert not hinge_met("yesno", q, "Officers were present at the bank on Friday.")


def test_why_naming_someone_needs_a_sentence_about_them() -> None:
    q = "Why hasn't Portugal ratified?"
    assert hinge_met("why", q, "Portugal delayed ratification because of a court challenge.")
    assert hinge_met("why", q, "It has said it wants more time because of elections.")
    assert not hinge_met("why", q, "The treaty will lower tariffs because trade is costly.")
    assert hinge_met("why", "Why now?", "The talks resumed after a truce.")
