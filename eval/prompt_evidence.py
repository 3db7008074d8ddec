"""Whether a question's gold evidence is in the passages the model was given (eval/context_bench.py).

Pure functions. A passage holds a gold string when one of these rules says so:
- **the benchmark's**: the gold with spaces and newlines removed is a substring of the passage with
  them removed, case kept (MultiHop-RAG's evaluator; eval/realtimeqa_data.py decides a RealTimeQA
  question is answerable from its pages by the same rule, eval/scoring.py `contains_evidence`);
- **as words, in any case**: the gold's words, in order, separated by any whitespace, with no letter
  or digit just before or just after, case ignored. A quiz writes its answer choices in its own case
  ("Covid-19", "Women's basketball") and the page in another ("COVID-19", "women's basketball"); the
  word boundaries keep the looser case from letting coincidences count ("Ten" is not in "often",
  "4" is not in "2024" nor in "4.5").
- **a calendar day as a day**: a gold that names one day and nothing else ("Monday, April 8, 2024")
  is in a passage that names that day with its year ("April 8, 2024", "2024-04-08"), read by our
  date parser (index/news/dates.py) with no publication date, so a day without a year never
  counts; the prompt's "dates:" line (relative dates resolved, qa/llm/prompt.py) is read with the
  passage.
The same rules for every question; nothing else is normalised.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import date

from index.news.dates import DAY, WEEKDAYS, resolve_dates

_SPACES = re.compile(r"\s+")
_LETTERS_OR_DIGITS = re.compile(r"[^\W_]+")


def squeezed(text: str) -> str:
    return _SPACES.sub("", text)


@functools.lru_cache(maxsize=1024)
def _as_words(gold: str) -> re.Pattern[str] | None:
    words = gold.split()
    if not words:
        return None
    body = r"\s+".join(re.escape(w) for w in words)
    # no letter or digit next to it, nor a decimal's other half ("4" is not in "4.5" or "1,4")
    return re.compile(rf"(?<![^\W_])(?<!\d[.,]){body}(?![^\W_])(?![.,]\d)", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def gold_day(gold: str) -> date | None:
    """The day `gold` names when it names one day and nothing else (a weekday besides)."""
    mentions = resolve_dates(gold, None)
    if len(mentions) != 1 or mentions[0].granularity != DAY:
        return None
    mention = mentions[0]
    rest = f"{gold[: mention.start]} {gold[mention.end :]}"
    if any(w not in WEEKDAYS for w in _LETTERS_OR_DIGITS.findall(rest.lower())):
        return None
    return mention.first if mention.first == mention.last else None


def _days(passage: str) -> set[date]:
    return {m.first for m in resolve_dates(passage, None) if m.granularity == DAY}


def holds(passage: str, gold: str) -> bool:
    """`passage` holds `gold` by one of the rules of the module docstring."""
    if squeezed(gold) and squeezed(gold) in squeezed(passage):
        return True
    pattern = _as_words(gold)
    if pattern is not None and pattern.search(passage) is not None:
        return True
    day = gold_day(gold)
    return day is not None and day in _days(passage)


def evidence_in(passages: Iterable[str], evidence: Iterable[str]) -> bool:
    """Some gold evidence string is in some passage."""
    texts = list(passages)
    return any(holds(t, e) for e in evidence for t in texts)


def benchmark_evidence_in(passages: Iterable[str], evidence: Iterable[str]) -> bool:
    """The benchmark's rule alone (what context_bench reported before the word rule joined it)."""
    texts = [squeezed(t) for t in passages]
    return any(squeezed(e) and squeezed(e) in t for e in evidence for t in texts)
