"""The syndication set: one agency story republished by four outlets with edits, plus the
Wikinews corpus (317 real articles, 18 threads of follow-ups on one event over days), which
must all stay apart. Used by tests/test_syndication.py and eval/perf_syndication.py.

The copies are edited the way outlets edit wire copy: a new headline, the first line rewritten,
a paragraph trimmed or added, a closing paragraph of their own, and each one dated the same day
or the next."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from index.formats.loaders import load_paths, parse_record
from index.types import Article

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "aleppo-offensive.txt"
WIKINEWS = Path("/work/shared/corpora/wikinews")
STORY = "aleppo"

OUTLETS = ("France 24", "Barron's", "The New Arab", "Gulf Times")


def _lines(article: Article) -> list[str]:
    return article.body.split("\n")


def _copy(original: Article, outlet: str, title: str, lines: list[str], published: int) -> Article:
    body = "\n".join(lines)
    slug = outlet.lower().replace(" ", "-").replace("'", "")
    return replace(
        original,
        id=f"aleppo-{slug}",
        title=title,
        body=body,
        source=outlet,
        author=None,
        published=published,
        sections=(),  # the outlets' pages lost the subheads
        origin=f"syndication:{slug}",
    )


def agency_story() -> tuple[Article, list[Article]]:
    """The seed as the agency's original (AFP, 2024-11-29) and four edited republications."""
    (seed,) = load_paths([SEED]).articles
    original = replace(seed, source="AFP", author="O.Byrne", published=20241129)
    lines = [line for line in _lines(original) if not line.startswith("- ")]
    copies = [
        # A new headline only.
        replace(  # the agency's text and subheads exactly as sent
            _copy(
                original,
                "France 24",
                "Syria rebels seize most of Aleppo: what we know",
                [],
                20241129,
            ),
            body=original.body,
            sections=original.sections,
        ),
        # The last three paragraphs trimmed.
        _copy(original, "Barron's", original.title, lines[:-3], 20241130),
        # The first line rewritten and a paragraph of their own added in the middle.
        _copy(
            original,
            "The New Arab",
            "Aleppo offensive: why the rebels struck now",
            [
                "Syrian opposition fighters have swept into Aleppo in their largest push in years, a monitor said.",
                *lines[1:8],
                "Residents of western Aleppo told The New Arab that shops closed early and bakeries ran out of bread.",
                *lines[8:],
            ],
            20241130,
        ),
        # Every other sentence lightly reworded, a closing line added.
        _copy(
            original,
            "Gulf Times",
            original.title,
            [line.replace("said", "stated") if k % 2 else line for k, line in enumerate(lines)]
            + ["Gulf Times will keep following the offensive."],
            20241129,
        ),
    ]
    return original, copies


def wikinews() -> list[Article]:
    articles = []
    with (WIKINEWS / "articles.jsonl").open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            articles.append(parse_record(json.loads(line), f"wikinews:{number}"))
    return articles


def threads() -> dict[str, list[str]]:
    data = json.loads((WIKINEWS / "threads.json").read_text(encoding="utf-8"))
    return {t["thread"]: t["article_ids"] for t in data}


def syndication_set() -> tuple[list[Article], dict[str, str]]:
    """The articles and the truth: article id -> story (copies share one; the others unique)."""
    original, copies = agency_story()
    articles = [original, *copies, *wikinews()]
    truth = {a.id: (STORY if a.id.startswith("aleppo") else a.id) for a in articles}
    return articles, truth


def pair_scores(groups: dict[str, str], truth: dict[str, str]) -> tuple[float, float, int, int]:
    """Pairwise precision and recall of predicted groups against the truth, and pair counts."""
    from itertools import combinations

    ids = sorted(groups)
    predicted = {(a, b) for a, b in combinations(ids, 2) if groups[a] == groups[b]}
    actual = {(a, b) for a, b in combinations(ids, 2) if truth[a] == truth[b]}
    hits = len(predicted & actual)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(actual) if actual else 1.0
    return precision, recall, len(predicted), len(actual)
