"""Story groups: syndicated copies of one story (a wire story and its republications).

At ingest an article joins the group of the most similar stored article when their shingle
similarity is at least `JOIN_SIMILARITY`, when both have dates they were published within
`MAX_DAYS_APART` days, and their facts agree (index/news/facts.py) with both that article's and
the group's first article's: lightly edited copies (new headline, a trimmed or added paragraph)
share most 5-word shingles and every figure and name they both place, while different stories on
one topic share almost none, a follow-up days later is outside the window, and a template story
(the same wording around other names or figures) changes a fact. The group id is the id of the
first article of the group; which member is the original is decided when reading
(qa/retrieval/story_groups.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np

from index.news.facts import disagree, fact_pairs
from index.news.minhash import LshIndex, signature

JOIN_SIMILARITY = 0.8  # with 0.45, reworded stories on one topic grouped
MAX_DAYS_APART = 3


@dataclass(frozen=True)
class Member:
    group: str
    published: int | None
    source: str | None = None
    author: str | None = None


def _days_apart(a: int | None, b: int | None) -> int:
    if a is None or b is None:
        return 0
    try:
        da = date(a // 10000, a // 100 % 100, a % 100)
        db = date(b // 10000, b // 100 % 100, b % 100)
    except ValueError:
        return 0
    return abs((da - db).days)


class StoryGroups:
    """The LSH index of stored articles and the group of each; safe to share between threads."""

    def __init__(self) -> None:
        self._lsh = LshIndex()
        self._members: dict[str, Member] = {}
        self._facts: dict[str, np.ndarray] = {}  # (context, value) pairs; unknown for old records
        self._lock = threading.Lock()
        self.revision = 0  # changes with every change of membership (readers cache by it)

    def __len__(self) -> int:
        return len(self._members)

    def load(self, rows: Iterable[tuple[str, np.ndarray, Member, np.ndarray | None]]) -> None:
        """(article id, signature, membership, fact pairs or None) of stored articles."""
        with self._lock:
            for article_id, sig, member, facts in rows:
                self._lsh.add(article_id, sig)
                self._members[article_id] = member
                if facts is not None:
                    self._facts[article_id] = facts
            self.revision += 1

    def shared(self) -> dict[str, list[tuple[str, Member]]]:
        """group -> its members (article id, membership), for groups of two or more."""
        with self._lock:
            by_group: dict[str, list[tuple[str, Member]]] = {}
            for article_id, member in self._members.items():
                by_group.setdefault(member.group, []).append((article_id, member))
        return {g: m for g, m in by_group.items() if len(m) > 1}

    def assign(
        self,
        article_id: str,
        text: str,
        published: int | None,
        source: str | None = None,
        author: str | None = None,
    ) -> tuple[str, np.ndarray, np.ndarray]:
        """The group this article joins (its own id when none fits), its signature and its fact
        pairs; the article is remembered, so later articles of the same batch can join it."""
        sig, facts = signature(text), fact_pairs(text)
        with self._lock:
            self._lsh.remove(article_id)  # a new version is compared with the others only
            self._facts.pop(article_id, None)
            ranked = sorted(self._lsh.candidates(sig).items(), key=lambda c: (-c[1], c[0]))
            group = next(
                (
                    member.group
                    for other, score in ranked
                    if score >= JOIN_SIMILARITY
                    and (member := self._members.get(other)) is not None
                    and _days_apart(member.published, published) <= MAX_DAYS_APART
                    and self._agrees(facts, other)
                    and (member.group not in self._members or self._agrees(facts, member.group))
                ),
                article_id,
            )
            self._lsh.add(article_id, sig)
            self._members[article_id] = Member(group, published, source, author)
            self._facts[article_id] = facts
            self.revision += 1
            return group, sig, facts

    def _agrees(self, facts: np.ndarray, other: str) -> bool:
        """Whether an article's facts agree with a stored one's and share at least one with it
        (an article whose facts were never recorded cannot vouch for a copy)."""
        known = self._facts.get(other)
        if known is None:
            return False
        if len(known) and len(facts) and not _shares_one(facts, known):
            return False
        return not disagree(facts, known)

    def forget(self, article_id: str) -> None:
        with self._lock:
            self._lsh.remove(article_id)
            self._members.pop(article_id, None)
            self._facts.pop(article_id, None)
            self.revision += 1


def _shares_one(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two texts state one fact in the same context."""
    return bool(set(map(tuple, a.tolist())) & set(map(tuple, b.tolist())))
