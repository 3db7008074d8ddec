"""The one reading of a question: `read(question, history)` -> `Asked`, which the steps take.

What a question asks is read here and nowhere else: its kind (qa/asking/kinds.py), the type of
answer it wants (answer_types.py), the names, places, years and numbers it is held to
(constraints.py), the words it hinges on (hinges.py, counted.py), its time (time_scope.py) and
whether it follows up on the conversation (condense.py). The extractive answerer, the LLM path and
the engine use these fields instead of parsing the question again, so no two steps read it
differently.

The kind and the follow-up are read at once (every answer needs them); the rest when first asked
for and then kept (`cached_property`), so a reading no step uses costs nothing. A question folded
into the conversation (`standalone`) is a text of its own and gets its own reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from qa.asking import counted, hinges, kinds
from qa.asking.answer_types import wanted
from qa.asking.condense import condense_rule, looks_like_follow_up
from qa.asking.constraints import Constraints, capitalised_words, question_constraints
from qa.asking.constraints import without_speaker as _without_speaker
from qa.asking.entity_types import asked_entity
from qa.asking.focus_words import question_focus
from qa.asking.identity import identity_name
from qa.asking.time_scope import compares_reports, is_about_now, time_bounds
from qa.types import Turn

Analyse = Callable[[str], list[str]]  # text -> stemmed content terms (the BM25 analyser)

# An abbreviation as written: "EPA", "TV", "NGOs".
_ABBREVIATION = re.compile(r"\b[A-Z]{2,6}s?\b")


@dataclass(frozen=True)
class Asked:
    text: str  # the question as read
    reading: kinds.Kind  # kind, subject, about, bare (qa/asking/kinds.py)
    follow_up: bool  # it looks like a follow-up: a connective, a pointing word, or very short
    standalone_text: str  # the question with the earlier user turns folded in (by rule)
    # Stemmed terms per analyser: the BM25 analysis of this text is done once, whoever asks.
    _terms: dict[Analyse, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    # -- the kind (qa/asking/kinds.py) -----------------------------------------------------

    @property
    def kind(self) -> str:
        return self.reading.kind

    @property
    def subject(self) -> str | None:
        return self.reading.subject

    @property
    def about(self) -> str | None:
        return self.reading.about

    @property
    def bare(self) -> bool:
        return self.reading.bare

    @property
    def explainer(self) -> bool:
        return self.reading.explainer

    @cached_property
    def scoring_kind(self) -> str:
        """why | count | when | who | other, for the sentence scorer's cue words."""
        return kinds.scoring_kind(self.text)

    @cached_property
    def cause_asked(self) -> bool:
        return kinds.cause_asked(self.text)

    @cached_property
    def direction_asked(self) -> bool:
        return kinds.direction_asked(self.text)

    # -- words -----------------------------------------------------------------------------

    @cached_property
    def word_count(self) -> int:
        return len(self.text.split())

    @cached_property
    def words(self) -> frozenset[str]:
        """The lower-cased words of the question."""
        return frozenset(kinds.WORD.findall(self.text.lower()))

    @cached_property
    def content_words(self) -> tuple[str, ...]:
        """The words that name something: not the question's frame or its kind's fillers."""
        return tuple(kinds.content_words(self.text))

    @cached_property
    def abbreviations(self) -> tuple[str, ...]:
        """Abbreviations as written, once each: "EPA", "TV"."""
        return tuple(dict.fromkeys(_ABBREVIATION.findall(self.text)))

    def terms(self, analyse: Analyse) -> tuple[str, ...]:
        """The question's stemmed terms by `analyse`, in order, repeats kept."""
        if analyse not in self._terms:
            self._terms[analyse] = tuple(analyse(self.text))
        return self._terms[analyse]

    # -- the answer asked for and what holds it (answer_types, constraints, hinges) ----------

    @cached_property
    def wanted(self) -> str | None:
        """The type of answer asked for (qa/asking/answer_types.py), or None."""
        return wanted(self.text)

    @cached_property
    def entity_asked(self) -> tuple[str | None, frozenset[str]]:
        """The asked word and the named-entity labels the answer carries ("which team": ORG),
        fitted on third-party questions (qa/asking/entity_types.py); (None, empty) when the
        question asks for no fitted type."""
        return asked_entity(self.text)

    @cached_property
    def constraints(self) -> Constraints:
        return question_constraints(self.text)

    @cached_property
    def constraints_without_speaker(self) -> Constraints:
        """The constraints once a said-question's speaker is met through the alias hierarchy."""
        if self.kind != "said" or not self.subject:
            return self.constraints
        without = _without_speaker(self.text, self.subject)
        return self.constraints if without == self.text else question_constraints(without)

    @cached_property
    def capitalised_words(self) -> tuple[str, ...]:
        return capitalised_words(self.text)

    @cached_property
    def counted_nouns(self) -> tuple[str, ...]:
        """The noun a count hinges on (qa/asking/counted.py)."""
        return tuple(counted.counted_nouns(self.text))

    @cached_property
    def counted_noun(self) -> str | None:
        """The head noun the sentence scorer requires, None for a generic one ("people")."""
        noun = counted.counted_noun(self.text)
        return noun if noun and noun not in counted.GENERIC_COUNTED else None

    @cached_property
    def counted_words(self) -> tuple[str, ...]:
        """The words a newest figure must count."""
        return counted.counted_words(self.text)

    @cached_property
    def measured_words(self) -> tuple[str, ...]:
        return tuple(hinges.measured_words(self.text))

    @cached_property
    def participle(self) -> str | None:
        """ "Has the owner been arrested?" -> "arrested"."""
        return hinges.asked_participle(self.text)

    @cached_property
    def identity(self) -> str | None:
        """The name a "Who is X?" question asks to identify (qa/asking/identity.py), or None."""
        return identity_name(self.text) if self.kind == "who" else None

    @cached_property
    def focus_words(self) -> tuple[str, ...]:
        """The words the question asks about, outside the phrase standing for its answer
        (qa/asking/focus_words.py, from the dependency parse), less the words of its frame and
        kind that content_words leaves out too ("What happened to them?"): what an answer must
        cover."""
        return tuple(w for w in question_focus(self.text) if not kinds.is_filler(w))

    @cached_property
    def verb(self) -> str | None:
        """The verb a "who" question binds to a name: "Who owned the boat?" -> "owned" (none in
        "Who was Tyree Smith?": its first word after "was" is the name)."""
        return None if self.identity else hinges.question_verb(self.text)

    # -- time (qa/asking/time_scope.py) ----------------------------------------------------

    @cached_property
    def compares_reports(self) -> bool:
        return compares_reports(self.text)

    @cached_property
    def about_now(self) -> bool:
        """ "What is the latest toll?": the newest evidence leads (not "Why now?")."""
        return is_about_now(self.text)

    def time_bounds(self, newest: int | None) -> tuple[int | None, int | None]:
        """(published_from, published_to) the question names, given the index's newest date."""
        return time_bounds(self.text, newest)

    # -- the conversation ------------------------------------------------------------------

    @cached_property
    def standalone(self) -> Asked:
        """The reading of the question with the conversation folded in (itself without one)."""
        if self.standalone_text == self.text:
            return self
        return read(self.standalone_text)


def read(question: str, history: Sequence[Turn] = ()) -> Asked:
    """The reading of `question`, asked after the earlier `history` turns."""
    return Asked(
        text=question,
        reading=kinds.classify(question),
        follow_up=looks_like_follow_up(question),
        standalone_text=condense_rule(question, history),
    )
