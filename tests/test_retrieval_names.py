"""A question that names something only one article mentions finds that article.

Hundreds of near-identical wire notes differ only in a made-up convoy name. Dense retrieval can't
tell them apart (the name means nothing to the model), BM25 ranks the one article first by far;
fusion must keep that lead. Reciprocal rank fusion did not: with 300 notes about one in fourteen
was outvoted by notes the dense side ranked higher (found by `python -m eval.soak`).
"""

from __future__ import annotations

from index.types import Article

PLACES = ["Tartus", "Hama", "Idlib", "Homs", "Latakia", "Raqqa", "Daraa", "Aleppo"]


def name(n: int) -> str:
    letters = "bcdfghklmnprstvz"
    return "Zor" + "".join(letters[(n >> (4 * i)) & 15] for i in range(4)) + "ix"


def note(n: int) -> Article:
    place = PLACES[n % len(PLACES)]
    return Article(
        id=f"note-{n:04d}",
        title=f"Wire note {n}",
        body=(
            f"The {name(n)} convoy reached {place} on Tuesday, officials said. "
            f"It carried {n % 90 + 10} tonnes of flour for the {place} bakeries."
        ),
        source="Test Wire",
    )


def test_a_rare_name_finds_its_article_among_near_duplicates(engine) -> None:
    engine.ingest_articles([note(n) for n in range(240)])
    missed = [
        n
        for n in range(240)
        if f"note-{n:04d}"
        not in [
            p.chunk.article_id
            for p in engine.retrieve(f"Where did the {name(n)} convoy arrive?", 3)
        ]
    ]
    assert missed == []
