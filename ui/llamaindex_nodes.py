"""Our types in llama-index's terms (for ui/llamaindex.py): passages and citations as `TextNode`s,
llama-index's `MetadataFilters` as our `Filters`.

A node's text is the passage; its metadata names the article (`article_id`, `title`, `source` = the
outlet, `published` ISO, `section`, `story_group`) and the span it stands for: `quote` is exactly
body[start:end] of the article. For a retrieved passage the quote is the whole passage; for a
citation it is the supporting sentence inside the passage, and `ref` is its [n] in the answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from llama_index.core.schema import NodeRelationship, NodeWithScore, RelatedNodeInfo, TextNode
from llama_index.core.vector_stores.types import (
    FilterCondition,
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
)

from index.formats.loaders import ArticleError, parse_published
from index.news.dates import to_date
from qa.engine import Engine
from qa.types import Answer, Filters, Passage
from ui.api_retrieve import passages_json, story_group_of

# What an LLM reading the node sees besides its text (llama-index puts metadata into prompts):
# the article, not our offsets.
HIDDEN_FROM_LLM = ["quote", "start", "end", "story_group", "ref"]
FILTER_KEYS = ("article_id", "source", "published")
# A date bound as an inclusive one, in days: "> 29 Nov" is "from 30 Nov on".
_LOWER = {FilterOperator.GT: 1, FilterOperator.GTE: 0, FilterOperator.EQ: 0}
_UPPER = {FilterOperator.LT: -1, FilterOperator.LTE: 0, FilterOperator.EQ: 0}


class FilterError(ValueError):
    """MetadataFilters that newsdesk's filters cannot express."""


# -- nodes ------------------------------------------------------------------------------------------


def node_of(passage: Mapping[str, Any], quote: tuple[str, int, int] | None = None) -> NodeWithScore:
    """A node for one passage as /v1/retrieve gives it (ui/api_retrieve.py); `quote` (text, start,
    end) narrows the span to a cited sentence inside it."""
    text, start, end = quote or (passage["text"], passage["start"], passage["end"])
    metadata = {
        "article_id": passage["article_id"],
        "title": passage["title"],
        "source": passage["source"],
        "published": passage["published"],
        "section": passage["section"],
        "story_group": passage["story_group"],
        "quote": text,
        "start": start,
        "end": end,
    }
    node = TextNode(
        # The span names the node: the same passage has the same id from an Engine or a server.
        id_=f"{passage['article_id']}:{start}-{end}",
        text=passage["text"],
        metadata=metadata,
        start_char_idx=passage["start"],
        end_char_idx=passage["end"],
        excluded_llm_metadata_keys=HIDDEN_FROM_LLM,
        excluded_embed_metadata_keys=list(metadata),
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=passage["article_id"])},
    )
    return NodeWithScore(node=node, score=passage["score"])


def passage_nodes(engine: Engine, passages: Sequence[Passage]) -> list[NodeWithScore]:
    return [node_of(p) for p in passages_json(engine, passages)]


def citation_nodes(engine: Engine, answer: Answer) -> list[NodeWithScore]:
    """One node per citation of the answer, in [n] order: the cited passage, the quote's span."""
    by_text = {(p["article_id"], p["text"]): p for p in passages_json(engine, answer.passages)}
    nodes = []
    for c in answer.citations:
        passage = by_text.get((c.article_id, c.text)) or _cited_passage(engine, answer, c)
        node = node_of(passage, (c.quote, c.start, c.end))
        node.node.metadata["ref"] = c.ref
        node.score = c.score
        nodes.append(node)
    return nodes


def _cited_passage(engine: Engine, answer: Answer, citation: Any) -> dict[str, Any]:
    """The passage of a citation that is not among the answer's retrieved passages (an answer
    composed from its story's other passages): its article's record has the rest."""
    record = engine.article(citation.article_id)
    start = citation.start - max(citation.text.find(citation.quote), 0)
    return {
        "article_id": citation.article_id,
        "title": citation.title,
        "source": record.source if record else None,
        "published": citation.published,
        "section": citation.section,
        "story_group": story_group_of(engine, citation.article_id),
        "text": citation.text,
        "start": start,
        "end": start + len(citation.text),
        "score": citation.score,
    }


# -- filters ----------------------------------------------------------------------------------------


def filters_of(metadata_filters: MetadataFilters | None) -> Filters | None:
    """Our filters for llama-index's: `article_id` and `source` with == or in (an OR of such on one
    key is one `in`), `published` with == > >= < <= (yyyymmdd, an ISO date or a date), all ANDed.
    Raises FilterError for anything else rather than ignoring it."""
    if metadata_filters is None:
        return None
    allowed: dict[str, set[str] | None] = {"article_id": None, "source": None}
    low: dt.date | None = None
    high: dt.date | None = None
    for f in _conjuncts(metadata_filters):
        if f.key in allowed:
            values = _values(f)
            before = allowed[f.key]
            allowed[f.key] = values if before is None else before & values
            if not allowed[f.key]:
                raise FilterError(f"the filters on {f.key!r} exclude every value")
        elif f.key == "published":
            if f.operator not in _LOWER and f.operator not in _UPPER:
                raise FilterError(f"'published' takes == > >= < <=, not {f.operator.value!r}")
            day = _date(f.value)
            if f.operator in _LOWER:
                bound = day + dt.timedelta(days=_LOWER[f.operator])
                low = bound if low is None else max(low, bound)
            if f.operator in _UPPER:
                bound = day + dt.timedelta(days=_UPPER[f.operator])
                high = bound if high is None else min(high, bound)
        else:
            raise FilterError(f"newsdesk filters on {', '.join(FILTER_KEYS)}, not {f.key!r}")
    if low is not None and high is not None and low > high:
        raise FilterError(f"no date is both on or after {low} and on or before {high}")
    return Filters(
        article_ids=tuple(sorted(allowed["article_id"] or ())),
        sources=tuple(sorted(allowed["source"] or ())),
        published_from=_yyyymmdd(low),
        published_to=_yyyymmdd(high),
    )


def _conjuncts(filters: MetadataFilters) -> Iterator[MetadataFilter]:
    condition = filters.condition or FilterCondition.AND
    if condition == FilterCondition.AND:
        for item in filters.filters:
            if isinstance(item, MetadataFilters):
                yield from _conjuncts(item)
            else:
                yield item
    elif condition == FilterCondition.OR:
        yield _one_of(filters)
    else:
        raise FilterError(f"newsdesk filters cannot be combined with {condition.value!r}")


def _one_of(filters: MetadataFilters) -> MetadataFilter:
    """An OR of == / in on one key (article ids or outlets) as one `in`; anything else in an OR
    would widen the search in a way our filters (a conjunction) cannot."""
    items = filters.filters
    keys = {getattr(f, "key", None) for f in items}
    if len(keys) != 1 or not all(isinstance(f, MetadataFilter) for f in items):
        raise FilterError("an OR of filters must name one key (article_id or source)")
    key = keys.pop()
    if key not in ("article_id", "source"):
        raise FilterError(f"an OR of filters works on article_id or source, not {key!r}")
    values = sorted(set().union(*(_values(f) for f in items)))  # type: ignore[arg-type]
    return MetadataFilter(key=key, value=values, operator=FilterOperator.IN)


def _values(f: MetadataFilter) -> set[str]:
    if f.operator == FilterOperator.EQ and isinstance(f.value, str):
        return {f.value}
    if f.operator == FilterOperator.IN and isinstance(f.value, list):
        return {str(v) for v in f.value}
    raise FilterError(
        f"{f.key!r} takes == with one text or in with a list, not {f.operator.value!r}"
    )


def _date(value: object) -> dt.date:
    try:
        day = to_date(parse_published(value))
    except ArticleError as err:
        raise FilterError(f"'published': {err}") from None
    if day is None:
        raise FilterError("'published' needs a date")
    return day


def _yyyymmdd(day: dt.date | None) -> int | None:
    return int(day.strftime("%Y%m%d")) if day else None
