"""Story groups: syndicated copies of one story (a wire story and its republications).

At ingest an article joins the group of the most similar stored article when their shingle
similarity is at least `JOIN_SIMILARITY` and, when both have dates, they were published within
`MAX_DAYS_APART` days: lightly edited copies (new headline, a trimmed or added paragraph) share
most 5-word shingles, while different stories on one topic share almost none and a follow-up
days later is both different text and outside the window. The group id is the id of the first
article of the group; which member is the original is decided when reading (qa/retrieval/story_groups.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np

from index.news.minhash import LshIndex, signature

JOIN_SIMILARITY = (
    0.8  # template stories differing in names or numbers stay apart (0.45 grouped them)
)
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
        self._lock = threading.Lock()
        self.revision = 0  # changes with every change of membership (readers cache by it)

    def __len__(self) -> int:
        return len(self._members)

    def load(self, rows: Iterable[tuple[str, np.ndarray, Member]]) -> None:
        """(article id, signature, membership) of stored articles."""
        with self._lock:
            for article_id, sig, member in rows:
                self._lsh.add(article_id, sig)
                self._members[article_id] = member
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
    ) -> tuple[str, np.ndarray]:
        """The group this article joins (its own id when none fits) and its signature; the
        article is remembered, so later articles of the same batch can join it."""
        sig = signature(text)
        with self._lock:
            self._lsh.remove(article_id)  # a new version is compared with the others only
            best, best_score = None, JOIN_SIMILARITY
            for other, score in self._lsh.candidates(sig).items():
                member = self._members.get(other)
                if member is None or _days_apart(member.published, published) > MAX_DAYS_APART:
                    continue
                if score >= best_score:
                    best, best_score = member.group, score
            group = best or article_id
            self._lsh.add(article_id, sig)
            self._members[article_id] = Member(group, published, source, author)
            self.revision += 1
            return group, sig

    def forget(self, article_id: str) -> None:
        with self._lock:
            self._lsh.remove(article_id)
            self._members.pop(article_id, None)
            self.revision += 1
