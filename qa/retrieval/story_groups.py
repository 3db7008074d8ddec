"""One passage per story group: syndicated copies of a story are cited once, from the original.

Ingest puts near-duplicate articles into one story group (index/news/story_groups.py). Here, after
retrieval, `one_per_group` keeps the first passage of each group's text and drops the copies'
repetitions of it; where the original's passage and a copy's were both retrieved, the
original's is kept at the better rank. The original is the member whose outlet or byline names
a news agency (AFP, AP, Reuters), else the earliest published. `GroupedPassages` does the I/O
around that: it swaps a copy's passage for the original's matching chunk when the original
has one, and tells which other outlets published the story (`also_published_by`).

A passage gives way to another only when the other states what it states: each of its facts
(names, places, figures, dates; index/news/facts.py). A copy that added a name or changed a
figure keeps its own passage, cited as the copy, so a question about it is answered from it.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from index.news.facts import values
from index.news.story_groups import Member as StoredMember
from index.store.store import Store
from index.types import Chunk
from qa.types import Answer, Passage

_AGENCIES = re.compile(
    r"\b(AFP|Agence France[- ]Presse|AP|Associated Press|Reuters|Thomson Reuters)\b"
)
_WORD = re.compile(r"\w+")
# Share of the shorter passage's word trigrams found in the other at or above which two
# passages of one story say the same (copies are chunked at other boundaries than the original)
SAME_PASSAGE = 0.6
# Share of a copy's passage found in one chunk of the original for that chunk to stand in for it
COVERED = 0.4


@dataclass(frozen=True)
class Member:
    article_id: str
    source: str | None
    author: str | None
    published: int | None


@dataclass(frozen=True)
class Group:
    id: str
    members: tuple[Member, ...]

    @property
    def original(self) -> str:
        return choose_original(self.members)

    def outlets_besides(self, article_id: str) -> list[str]:
        cited = next((m.source for m in self.members if m.article_id == article_id), None)
        seen: list[str] = []
        for m in sorted(self.members, key=_earliest):
            if m.source and m.source != cited and m.source not in seen:
                seen.append(m.source)
        return seen


def _earliest(member: Member) -> tuple[int, str]:
    return (member.published or 99991231, member.article_id)


def is_agency(member: Member) -> bool:
    return any(_AGENCIES.search(x) for x in (member.source or "", member.author or ""))


def choose_original(members: Sequence[Member]) -> str:
    """The agency's copy when one member is the agency's, else the earliest published."""
    agencies = [m for m in members if is_agency(m)]
    return min(agencies or members, key=_earliest).article_id


def groups_of(shared: Mapping[str, Sequence[tuple[str, StoredMember]]]) -> dict[str, Group]:
    """article id -> its group, from the store's groups of two or more."""
    out: dict[str, Group] = {}
    for group_id, stored in shared.items():
        members = tuple(Member(i, m.source, m.author, m.published) for i, m in stored)
        group = Group(group_id, members)
        out.update((m.article_id, group) for m in members)
    return out


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}


def same_text(a: str, b: str) -> float:
    """How much of the shorter text the longer one repeats (0..1)."""
    x, y = _trigrams(a), _trigrams(b)
    return len(x & y) / min(len(x), len(y)) if x and y else 0.0


def covered(part: str, by: str) -> float:
    """The share of `part`'s word trigrams that `by` contains."""
    x = _trigrams(part)
    return len(x & _trigrams(by)) / len(x) if x else 0.0


_facts = functools.lru_cache(maxsize=1024)(
    values
)  # the same passages come back question after question


def states(by: str, part: str) -> bool:
    """Whether the text `by` states every fact of `part` (a passage can stand in for it)."""
    return _facts(part) <= _facts(by)


def one_per_group(passages: Sequence[Passage], groups: Mapping[str, Group]) -> list[Passage]:
    """Passages in rank order with each group's repeated text kept once, preferring the
    original's copy of it (which then takes the better of the two ranks). A repetition that
    states something its kept twin does not is kept too."""
    kept: list[Passage] = []
    seen_chunks: set[str] = set()
    for passage in passages:
        if passage.chunk.id in seen_chunks:  # two copies' passages led to one original chunk
            continue
        seen_chunks.add(passage.chunk.id)
        group = groups.get(passage.chunk.article_id)
        if group is None:
            kept.append(passage)
            continue
        twin = next(
            (
                k
                for k, other in enumerate(kept)
                if groups.get(other.chunk.article_id) is group
                and other.chunk.article_id != passage.chunk.article_id
                and same_text(other.text, passage.text) >= SAME_PASSAGE
            ),
            None,
        )
        if twin is None:
            kept.append(passage)
        elif passage.chunk.article_id == group.original != kept[twin].chunk.article_id and states(
            passage.text, kept[twin].text
        ):
            kept[twin] = replace(passage, score=max(passage.score, kept[twin].score))
        elif not states(kept[twin].text, passage.text):
            kept.append(passage)
    return kept


def best_match(text: str, candidates: Sequence[Chunk]) -> Chunk | None:
    """The original's chunk that repeats most of a copy's passage, if one repeats enough and the
    original states every fact the copy's passage states, in that chunk or a chunk next to it
    (copies are chunked at other boundaries: a copy's passage can run over two of the original's)."""
    scored = [(covered(text, c.text), c) for c in candidates]
    score, chunk = max(scored, key=lambda s: s[0], default=(0.0, None))
    if chunk is None or score < COVERED:
        return None
    around = [_facts(c.text) for c in candidates if abs(c.index - chunk.index) <= 1]
    return chunk if _facts(text) <= frozenset().union(*around) else None


class GroupedPassages:
    """The I/O around `one_per_group`: the groups the store keeps (index/news/story_groups.py, read
    again only when their membership changed), and a copy's passage swapped for the original's."""

    def __init__(self, store: Store, sentence_vectors: Callable[[list[Chunk]], dict]) -> None:
        self._store = store
        self._sentence_vectors = sentence_vectors
        self._groups: dict[str, Group] = {}
        self._seen: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def groups(self) -> dict[str, Group]:
        stored = self._store.story_groups()
        with self._lock:
            if self._seen != (id(stored), stored.revision):
                revision = stored.revision
                self._groups = groups_of(stored.shared())
                self._seen = (id(stored), revision)
            return self._groups

    def __call__(self, passages: list[Passage]) -> list[Passage]:
        groups = self.groups()
        if not groups or not any(p.chunk.article_id in groups for p in passages):
            return passages
        kept = one_per_group([self._from_original(p, groups) for p in passages], groups)
        return [
            replace(p, story_group=groups[p.chunk.article_id].id)
            if p.chunk.article_id in groups
            else p
            for p in kept
        ]

    def _from_original(self, passage: Passage, groups: Mapping[str, Group]) -> Passage:
        group = groups.get(passage.chunk.article_id)
        if group is None or group.original == passage.chunk.article_id:
            return passage
        original = group.original
        version = self._store.versions().get(original)
        if version is None:
            return passage
        stored = self._store.chunks_of({original: version})
        chunk = best_match(passage.text, [s.chunk for s in stored])
        if chunk is None:  # the copy's own paragraph, or its own facts: keep it
            return passage
        source = next(s for s in stored if s.chunk.id == chunk.id)
        vectors = self._sentence_vectors([chunk]).get(chunk.id)
        return replace(
            passage,
            chunk=chunk,
            source=source.source,
            published=source.published,
            sentence_vectors=vectors,
        )

    def with_outlets(self, answer: Answer) -> Answer:
        """Each citation lists the other outlets that published its story."""
        groups = self.groups()
        if not groups:
            return answer
        answer.citations = [
            replace(c, also_published_by=groups[c.article_id].outlets_besides(c.article_id))
            if c.article_id in groups
            else c
            for c in answer.citations
        ]
        return answer
