"""Sentence boundaries of news text: NLTK's Punkt with its trained English model, and two repairs.

llama-index ships Punkt's English parameters (punkt_tab: abbreviations, collocations, frequent
sentence starters and orthographic statistics learned from news text) but builds an untrained
tokenizer, which cut "the Oct. [1]", "Dr. [1] Timothy", "U.S. [1] officials" and "7 p.m. [1]
Tuesday". We load the trained model from llama-index's bundled files (offline, nothing downloaded).

Punkt still ends a sentence at an abbreviation it has not learned when the next word can open a
sentence. Two shapes are repaired after it:
- a short capitalised word with a period before a number ("No. 2", "Vol. 3", "Art. 5"): English
  does not begin a sentence with a figure after such a word;
- initials ("R.R.", "J.", "U.S.", "p.m.") before a capitalised word that is not one of the
  language's function words ("George R.R. Martin", "4 p.m. ET"), while "in the U.S. The" still
  ends. Function words are NLTK's English stopwords, bundled the same way.
An ellipsis before a lowercase word never ends a sentence ("dead ... and buried").
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

Span = tuple[int, int]

_NUMBER_AFTER = re.compile(r"^[A-Z][a-z]{0,3}\.$")
_INITIALS = re.compile(r"^(?:[A-Za-z]\.){1,4}$")
_NEXT_WORD = re.compile(r"\s*[\"“'‘(]*([\w$€£]+)")


def _nltk_dir() -> Path:
    import llama_index.core

    return Path(llama_index.core.__file__).parent / "_static" / "nltk_cache"


@functools.cache
def sentence_splitter() -> Any:
    """Punkt with NLTK's trained English parameters, read from llama-index's bundled copy
    (importing NLTK takes ~1 s, so ingest loads it once up front, like the model)."""
    from nltk.tabdata import PunktDecoder
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    # NLTK's own loader refuses paths outside nltk.data.path: read the four model files here.
    model = _nltk_dir() / "tokenizers" / "punkt_tab" / "english"
    decode, params = PunktDecoder(), PunktParameters()
    with (model / "collocations.tab").open(encoding="utf-8") as f:
        params.collocations = set(decode.tab2tups(f))
    with (model / "sent_starters.txt").open(encoding="utf-8") as f:
        params.sent_starters = decode.txt2set(f)
    with (model / "abbrev_types.txt").open(encoding="utf-8") as f:
        params.abbrev_types = decode.txt2set(f)
    with (model / "ortho_context.tab").open(encoding="utf-8") as f:
        params.ortho_context = decode.tab2intdict(f)
    splitter = PunktSentenceTokenizer()
    splitter._params = params
    return splitter


@functools.cache
def function_words() -> frozenset[str]:
    words = (_nltk_dir() / "corpora" / "stopwords" / "english").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in words.split() if w.strip())


def _last_word(text: str) -> str:
    words = text.split()
    return words[-1] if words else ""


def _joins(before: str, after: str) -> bool:
    """Whether the boundary between `before` and `after` falls inside one sentence."""
    last = _last_word(before)
    found = _NEXT_WORD.match(after)
    if not last.endswith(".") or not found:
        return before.rstrip().endswith(("...", "…")) and after.lstrip()[:1].islower()
    word = found.group(1)
    if word[:1].isdigit():
        return bool(_NUMBER_AFTER.match(last) or _INITIALS.match(last))
    if _INITIALS.match(last) and word[:1].isupper():
        return word.lower() not in function_words()
    if before.rstrip().endswith(("...", "…")):
        return word[:1].islower()
    return False


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of one line of text (offsets into it)."""
    spans = list(sentence_splitter().span_tokenize(text))
    merged: list[Span] = []
    for span in spans:
        if merged and _joins(text[merged[-1][0] : merged[-1][1]], text[merged[-1][1] : span[1]]):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged
