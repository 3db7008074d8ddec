"""Question suites: `seed` (our seed article), `multihop` (MultiHop-RAG), `explainer` (alias `wikinews`:
short explainer questions over 317 Wikinews articles, asked after a topic turn), or a JSON Lines file.

A suite may bring a corpus: its articles are ingested into the suite's own collection (never the user's
index) and reused by later runs, since unchanged articles are skipped by version.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eval.questions import (
    EXPLAINER_QUESTIONS,
    MULTIHOP_CORPUS,
    MULTIHOP_QUESTIONS,
    SEED_QUESTIONS,
    WIKINEWS_CORPUS,
    Question,
    load_questions,
)

MULTIHOP_NOTE = (
    "MultiHop-RAG (Tang & Yang, COLM 2024, arXiv:2401.15391), ODC-BY 1.0. The corpus here is rebuilt "
    "from the queries' evidence sentences, so retrieval is easier than on the original 609 full "
    "articles: compare configurations with each other, not with the paper's absolute numbers. "
    "Published yardsticks on the original corpus: Hits@10 0.7467, Hits@4 0.6625, MRR@10 0.586 "
    "(voyage-02 + bge-reranker-large); GPT-4 accuracy 0.56 with retrieved chunks (lenient rule)."
)
EXPLAINER_NOTE = (
    "Explainer questions (why, what happened, who, what did X say, stakes, next, how many, when, where) "
    "over real Wikinews articles, each asked after a topic turn (its `history`); unanswerable ones are "
    "follow-ups the article does not answer. Text from Wikinews (https://en.wikinews.org), by Wikinews "
    "contributors, licensed under CC BY 2.5 (https://creativecommons.org/licenses/by/2.5/)."
)
SUITES = ("seed", "multihop", "explainer", "wikinews")
MAX_ERRORS_SHOWN = 10


class SuiteError(ValueError):
    pass


@dataclass(frozen=True)
class Suite:
    name: str
    questions: list[Question]
    corpus: tuple[Path, ...]  # ingested into the suite's own collection; () = the index as it is
    note: str = ""

    def collection(self, chunk: int, overlap: int, embedding: str = "onnx") -> str:
        """The suite's own Chroma collection, one per chunking (and embedding kind)."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")[:24] or "suite"
        suffix = "" if embedding == "onnx" else f"-{embedding}"
        return f"eval-{slug}-c{chunk}-o{overlap}{suffix}"


def seed_articles() -> Path:
    """seeds/ of the checkout (or of the working directory): the seed suite's article."""
    for candidate in (Path(__file__).resolve().parent.parent / "seeds", Path.cwd() / "seeds"):
        if candidate.is_dir():
            return candidate
    raise SuiteError(
        "the seed suite needs the seed article folder seeds/ (in the newsdesk checkout); "
        "run from there or pass --corpus PATH"
    )


def load_suite(name: str, corpus: Sequence[Path] = (), limit: int | None = None) -> Suite:
    """`name` is seed, multihop, explainer (or wikinews) or a path to a JSON Lines question file;
    `limit` keeps the first N."""
    note = ""
    if name == "seed":
        path, default_corpus = SEED_QUESTIONS, () if corpus else (seed_articles(),)
    elif name == "multihop":
        path, default_corpus, note = MULTIHOP_QUESTIONS, (MULTIHOP_CORPUS,), MULTIHOP_NOTE
    elif name in ("explainer", "wikinews"):
        name = "explainer"
        path, default_corpus, note = EXPLAINER_QUESTIONS, (WIKINEWS_CORPUS,), EXPLAINER_NOTE
    else:
        path, default_corpus = Path(name), ()
        if not path.is_file():
            raise SuiteError(
                f"no such suite or question file: {name} (suites: seed, multihop, explainer)"
            )
        name = path.stem
    for extra in corpus:
        if not extra.exists():
            raise SuiteError(f"no such corpus file or folder: {extra}")
    try:
        loaded = load_questions(path)
    except (OSError, UnicodeDecodeError) as err:
        raise SuiteError(f"cannot read {path}: {err}") from None
    if loaded.errors:
        shown = "\n  ".join(loaded.errors[:MAX_ERRORS_SHOWN])
        more = len(loaded.errors) - MAX_ERRORS_SHOWN
        raise SuiteError(
            f"{len(loaded.errors)} bad question record(s); nothing was run:\n  {shown}"
            + (f"\n  ... and {more} more" if more > 0 else "")
        )
    questions = loaded.questions[:limit] if limit else loaded.questions
    if not questions:
        raise SuiteError(f"{path} holds no questions")
    return Suite(name, questions, tuple(corpus) or default_corpus, note)
