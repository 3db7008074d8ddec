"""Which articles of a batch an ingest writes, and how: the rules for wire items' versions and
publication status, kept apart from the embedding and writing (index/ingest.py).

- Within one batch, the highest `item_version` of an id wins; the others are reported ignored.
- An item older than the stored one (a late arrival) is ignored, with a note.
- `canceled` removes the article from the index and `withheld` hides it; both leave a tombstone
  record (no chunks) that remembers the version, so an older copy arriving later stays out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from index.formats.loaders import LoadError
from index.types import Article

WITHDRAWN = ("canceled", "withheld")


@dataclass
class Plan:
    to_write: list[Article] = field(default_factory=list)  # usable articles, newest version
    tombstones: list[Article] = field(default_factory=list)  # canceled or withheld
    ignored: list[tuple[Article, str]] = field(default_factory=list)  # (article, why)


def plan_batch(articles: Sequence[Article], stored_versions: dict[str, int]) -> Plan:
    plan = Plan()
    newest: dict[str, Article] = {}
    order: list[str] = []
    passthrough: list[Article] = []  # no wire version: the ingest's own duplicate check applies
    for article in articles:
        if article.item_version is None:
            passthrough.append(article)
            continue
        held = newest.get(article.id)
        if held is None:
            newest[article.id] = article
            order.append(article.id)
        elif (article.item_version or 0) > (held.item_version or 0):
            plan.ignored.append((held, _older(held, article.item_version)))
            newest[article.id] = article
        else:
            plan.ignored.append((article, _older(article, held.item_version)))
    for article in [*passthrough, *(newest[i] for i in order)]:
        stored = stored_versions.get(article.id)
        if (
            article.item_version is not None
            and stored is not None
            and article.item_version < stored
        ):
            plan.ignored.append((article, _older(article, stored, "stored")))
            continue
        if article.pubstatus in WITHDRAWN:
            plan.tombstones.append(replace(article, body="", sections=()))
        else:
            plan.to_write.append(article)
    return plan


def _older(article: Article, newer: int | None, where: str = "in this batch") -> str:
    return f"version {article.item_version} ignored: version {newer} is {where}"


def ignored_errors(plan: Plan) -> list[LoadError]:
    return [LoadError(a.origin or a.id, why) for a, why in plan.ignored]
