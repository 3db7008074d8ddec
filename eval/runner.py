"""Ask a suite's questions of a target, one configuration after another, and score every answer.

In-process, configurations that share a chunking share one collection (ingested once, reused by later
runs); each gets its own Engine over that store, so mode, top_k, backend and min_support vary freely.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

from eval.configs import HTTP_KEYS, ConfigError, RunConfig, settings_for
from eval.questions import Question
from eval.results import QuestionResult, failed, score
from eval.suites import Suite
from eval.targets import Http, InProcess, Target, TargetError

PROGRESS_FROM = 20  # articles: smaller ingests print no bar


@dataclass
class ConfigRun:
    config: RunConfig
    setup: dict[str, Any]  # what was evaluated, for the report
    results: list[QuestionResult] = field(default_factory=list)


class Interrupted(Exception):
    """Ctrl-C: the runs so far, the last one partial, so their results can still be written."""

    def __init__(self, runs: list[ConfigRun]) -> None:
        super().__init__("interrupted")
        self.runs = runs


def ask_all(
    questions: Sequence[Question],
    target: Target,
    label: str,
    progress: bool = True,
    into: list[QuestionResult] | None = None,
) -> list[QuestionResult]:
    """Every question, scored, appended to `into` as it goes (so an interruption keeps them). A
    failure on the first question stops the run (it is the setup that is wrong); later failures are
    recorded on their question and the run goes on."""
    results = into if into is not None else []
    with tqdm(questions, desc=label, unit="q", file=sys.stderr, disable=not progress) as bar:
        for question in bar:
            try:
                reply = target.ask(question)
            except TargetError:
                raise
            except Exception as err:
                if not results:
                    raise TargetError(f"the first question ({question.id}) failed: {err}") from err
                results.append(failed(question, f"{type(err).__name__}: {err}"))
            else:
                results.append(score(question, reply))
    return results


def run_http(
    suite: Suite,
    configs: Sequence[RunConfig],
    url: str,
    api_key: str | None,
    progress: bool = True,
) -> list[ConfigRun]:
    for config in configs:
        extra = config.keys() - HTTP_KEYS
        if extra:
            raise ConfigError(
                f"configuration {config.label!r}: over HTTP only k and backend can vary "
                f"(the service's own settings fix {', '.join(sorted(extra))})"
            )
    runs: list[ConfigRun] = []
    try:
        for config in configs:
            target = Http(url, api_key, config.top_k, config.backend)
            setup = {
                "target": target.endpoint,
                "top_k": config.top_k or "service default",
                "backend": config.backend or "service default",
            }
            runs.append(ConfigRun(config, setup))
            ask_all(suite.questions, target, _desc(suite, config), progress, runs[-1].results)
    except KeyboardInterrupt:
        raise Interrupted(runs) from None
    return runs


def _collection(suite: Suite, settings: Any) -> str:
    if not suite.corpus:
        return settings.collection  # a user suite without a corpus scores the index as it is
    chunking = settings.chunking
    return suite.collection(chunking.max_tokens, chunking.overlap_tokens, settings.embedding.kind)


def _ingest(engine: Any, suite: Suite, progress: bool) -> str:
    from index.formats.loaders import load_paths

    loaded = load_paths(list(suite.corpus))
    show = progress and len(loaded.articles) >= PROGRESS_FROM
    with tqdm(
        total=len(loaded.articles), desc="ingest", unit="article", file=sys.stderr, disable=not show
    ) as bar:
        report = engine.ingest_loaded(loaded, bar.update)
    for error in report.failed:
        print(f"eval: skipped {error}", file=sys.stderr)
    if not (report.added or report.updated or report.unchanged):
        raise TargetError(f"no article of {', '.join(map(str, suite.corpus))} could be ingested")
    return f"{report.summary()} ({report.chunks} chunks written)"


def in_process_groups(
    suite: Suite, configs: Sequence[RunConfig], settings: Any
) -> dict[str, list[tuple[RunConfig, Any]]]:
    """collection -> [(config, its validated settings)], in first-appearance order."""
    groups: dict[str, list[tuple[RunConfig, Any]]] = {}
    for config in configs:
        resolved = settings_for(settings, config)
        groups.setdefault(_collection(suite, resolved), []).append((config, resolved))
    return groups


def run_in_process(
    suite: Suite,
    configs: Sequence[RunConfig],
    settings: Any,
    embedder: Any = None,
    progress: bool = True,
) -> list[ConfigRun]:
    """`settings`: qa.settings.Settings; `embedder`: share one (tests pass theirs), else built here."""
    from index.store.store import Store
    from qa.engine import Engine, make_embedder

    groups = in_process_groups(suite, configs, settings)
    embedder = embedder or make_embedder(settings.embedding)
    runs: dict[str, ConfigRun] = {}
    for collection, members in groups.items():
        store = Store.open(settings.data_dir, settings.chroma_url, collection)
        try:
            ingest = None
            for config, config_settings in members:
                engine = Engine(
                    config_settings.model_copy(update={"collection": collection}), store, embedder
                )
                if suite.corpus and ingest is None:
                    ingest = _ingest(engine, suite, progress)
                engine.warm_up()
                target = InProcess(engine)  # mode, top_k and backend come from its settings
                run = ConfigRun(config, _setup(config_settings, collection, ingest))
                runs[config.label] = run
                ask_all(suite.questions, target, _desc(suite, config), progress, run.results)
        except KeyboardInterrupt:
            raise Interrupted(
                [r for c in configs if (r := runs.get(c.label)) and r.results]
            ) from None
        finally:
            store.close()
    return [runs[c.label] for c in configs]


def _setup(settings: Any, collection: str, ingest: str | None) -> dict[str, Any]:
    return {
        "target": "in-process",
        "data_dir": str(settings.chroma_url or settings.data_dir),
        "collection": collection,
        "mode": settings.retrieval.mode,
        "top_k": settings.retrieval.top_k,
        "chunking": f"{settings.chunking.max_tokens}/{settings.chunking.overlap_tokens} tokens",
        "backend": settings.backend,
        "min_support": settings.answer.min_support,
        "embedding": settings.embedding.kind,
        "ingest": ingest or "none (the index as it is)",
    }


def _desc(suite: Suite, config: RunConfig) -> str:
    return suite.name if config.label == "default" else f"{suite.name} {config.label}"
