"""spaCy's tagger and dependency parser, loaded once for every reader of a parse.

Questions (qa/asking/focus_words.py) and the sentences that say who someone is
(qa/extractive/identity.py) are parsed by the same `en_core_web_sm` pipeline, without its entity
recogniser and lemmatiser; it is loaded on first use (~1-4 s), then a short text takes milliseconds.
"""

from __future__ import annotations

import functools
from typing import Any

from index.news.entities import MODEL


@functools.cache
def parser() -> Any:
    """The tagger and dependency parser (no NER, no lemmas), loaded once."""
    import spacy

    return spacy.load(MODEL, exclude=["ner", "lemmatizer"])
