"""The run's outputs: a JSON file with every question's result, a Markdown report with the summary
tables, a PNG chart, a one-line summary and (for comparisons) one text table for the terminal."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from eval.chart import bar_chart
from eval.runner import ConfigRun
from eval.suites import Suite
from eval.summary import LABELS, METRICS, Summary, degraded_reasons, grouped, summarise, weakest

RETRIEVAL = ("n", "hits4", "hits10", "mrr10", "map10", "articles4", "articles10")
ANSWERS = (
    "n", "strict", "lenient", "refusal_precision", "refusal_recall", "citation_precision",
    "citation_recall", "cited_ok", "supported", "degraded", "errors", "p50_ms", "p95_ms",
)  # fmt: skip
COMPARE = (
    "hits4", "hits10", "mrr10", "articles10", "strict", "lenient", "refusal_precision",
    "refusal_recall", "citation_precision", "citation_recall", "supported", "p50_ms", "p95_ms",
)  # fmt: skip
KINDS = {m.key: m.kind for m in METRICS}
MISSES_SHOWN = 15


def fmt(key: str, value: float | int | None) -> str:
    if value is None:
        return "n/a"
    if KINDS[key] == "rate":
        return f"{value:.3f}"
    if KINDS[key] == "ms":
        return f"{value:.1f}"
    return str(value)


@dataclass(frozen=True)
class Analysis:
    """One configuration's results, summarised every way the report shows them."""

    run: ConfigRun
    summary: Summary
    by_type: dict[str, Summary]
    by_kind: dict[str, Summary]

    @classmethod
    def of(cls, run: ConfigRun) -> Analysis:
        return cls(
            run,
            summarise(run.results),
            grouped(run.results, lambda r: r.type),
            grouped(run.results, lambda r: r.gold_kind),
        )


def markdown_table(rows: dict[str, Summary], keys: Sequence[str], first: str) -> str:
    lines = [
        "| " + " | ".join([first, *(LABELS[k] for k in keys)]) + " |",
        "|" + "---|" * (len(keys) + 1),
    ]
    for name, summary in rows.items():
        lines.append("| " + " | ".join([name, *(fmt(k, summary[k]) for k in keys)]) + " |")
    return "\n".join(lines)


def text_table(rows: dict[str, Summary], keys: Sequence[str], first: str) -> str:
    header = [first, *(LABELS[k] for k in keys)]
    return aligned([header, *([name, *(fmt(k, s[k]) for k in keys)] for name, s in rows.items())])


def aligned(rows: Sequence[Sequence[str]]) -> str:
    """Rows of cells as terminal text: the first column left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def _matrix(analyses: Sequence[Analysis], key: str) -> str:
    types = list(dict.fromkeys(t for a in analyses for t in a.by_type))
    lines = [
        "| type | " + " | ".join(a.run.config.label for a in analyses) + " |",
        "|" + "---|" * (len(analyses) + 1),
    ]
    for t in types:
        cells = [fmt(key, a.by_type[t][key]) if t in a.by_type else "" for a in analyses]
        lines.append(f"| {t} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _setup_lines(run: ConfigRun) -> list[str]:
    return [f"- {key}: `{value}`" for key, value in run.setup.items()]


def _misses(analysis: Analysis) -> list[str]:
    wrong = [r for r in analysis.run.results if not r.strict][:MISSES_SHOWN]
    if not wrong:
        return []
    lines = ["", f"## First {len(wrong)} strict misses", "",
             "| id | type | question | gold | answer |", "|---|---|---|---|---|"]  # fmt: skip
    for r in wrong:
        said = r.error or ("(refused)" if r.refused else r.answer)
        cells = [r.id, r.type, r.question, r.gold or "(refuse)", said]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines


def _cell(text: str, limit: int = 160) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


NOTES = [
    "Retrieval (Hits@k, MRR@10, MAP@10) follows MultiHop-RAG's evaluator: a passage is relevant when "
    "a gold evidence string, spaces and newlines removed, is a substring of it; over questions with "
    "evidence (not the unanswerable ones). ArtRecall@k: every evidence article is among the top k.",
    "strict acc: yes/no golds must match the first yes/no in the answer, other golds (or one of the "
    "answer keys) must appear as whole words after normalisation, unanswerable questions must be "
    "refused. lenient acc: the benchmark's rule (any shared lower-cased word with the gold), a refusal "
    'read as "Insufficient information.".',
    "citation P: cited passages holding gold evidence / cited passages (answered questions); citation R: "
    "gold evidence strings found in cited passages / evidence strings (answerable questions, a refusal "
    "scores 0). cited right: answered questions with evidence whose answer cites the question's own article "
    "(`article_id`, when given) with a supporting sentence that holds a gold evidence string; a refusal "
    "scores 0. supported: answer sentences the backend verified as supported by their citations. "
    "Latency: one question end to end (in-process: `Engine.ask`; HTTP: the request).",
]


def _section(title: str, body: str) -> list[str]:
    return ["", title, "", body]


def _comparison(analyses: Sequence[Analysis]) -> list[str]:
    rows = {a.run.config.label: a.summary for a in analyses}
    return [
        *_section("## Comparison (all questions)", markdown_table(rows, RETRIEVAL, "config")),
        "",
        markdown_table(rows, ANSWERS, "config"),
        *_section("### Strict accuracy by question type", _matrix(analyses, "strict")),
        *_section("### Hits@10 by question type", _matrix(analyses, "hits10")),
    ]


def _configuration(a: Analysis, compared: bool) -> list[str]:
    title = f"## Configuration `{a.run.config.label}`" if compared else "## Setup"
    lines = ["", title, "", *_setup_lines(a.run)]
    lines += _section(
        "### Retrieval by question type", markdown_table(a.by_type, RETRIEVAL, "type")
    )
    lines += _section("### Answers by question type", markdown_table(a.by_type, ANSWERS, "type"))
    lines += _section(
        "### Answers by kind of gold answer", markdown_table(a.by_kind, ANSWERS, "gold")
    )
    for reason, count in degraded_reasons(a.run.results)[:3]:
        lines += ["", f"**{count} answer(s) degraded to the extractive backend:** {reason}"]
    weak = ", ".join(f"{t} {v:.3f}" for t, v in weakest(a.by_type))
    return [*lines, "", f"Weakest question types by strict accuracy: {weak or 'n/a'}."]


def markdown(
    suite: Suite, analyses: Sequence[Analysis], meta: dict[str, Any], chart: str | None
) -> str:
    compared = len(analyses) > 1
    lines = [
        f"# newsdesk eval: {suite.name}",
        "",
        f"{meta['created']} · {len(suite.questions)} questions",
    ]
    if meta.get("interrupted"):
        asked = ", ".join(f"{len(a.run.results)}" for a in analyses)
        lines += ["", f"**Interrupted:** these results cover the first {asked} questions only."]
    if suite.note:
        lines += ["", f"> {suite.note}"]
    if compared:
        lines += _comparison(analyses)
    if chart:
        lines += ["", f"![chart]({chart})"]
    for analysis in analyses:
        lines += _configuration(analysis, compared)
    if not compared:
        lines += _misses(analyses[0])
    over_http = analyses[0].run.setup["target"] != "in-process"
    if over_http and all(a.summary["hits10"] is None for a in analyses):
        lines += [
            "",
            "Retrieval metrics are n/a: the service's `/v1/ask` responses carry no passages.",
        ]
    lines += ["", "## How it is scored", "", *(f"- {n}" for n in NOTES), ""]
    return "\n".join(lines)


def results_json(
    suite: Suite, analyses: Sequence[Analysis], meta: dict[str, Any]
) -> dict[str, Any]:
    return {
        "suite": suite.name,
        **meta,
        "questions": len(suite.questions),
        "note": suite.note,
        "configs": [
            {
                "label": a.run.config.label,
                "setup": a.run.setup,
                "summary": a.summary,
                "by_type": a.by_type,
                "by_kind": a.by_kind,
                "results": [asdict(r) for r in a.run.results],
            }
            for a in analyses
        ],
    }


@dataclass(frozen=True)
class Written:
    json: Path
    markdown: Path
    chart: Path | None


def write(
    out: Path, suite: Suite, runs: Sequence[ConfigRun], meta: dict[str, Any]
) -> tuple[Written, list[Analysis]]:
    analyses = [Analysis.of(run) for run in runs]
    out.mkdir(parents=True, exist_ok=True)
    if len(analyses) > 1:
        groups = {a.run.config.label: a.summary for a in analyses}
        title = f"{suite.name}: configurations compared (all questions)"
    else:
        groups = analyses[0].by_type
        title = f"{suite.name}: by question type ({analyses[0].run.config.label})"
    chart = bar_chart(groups, title, out / "chart.png")
    results = out / "results.json"
    results.write_text(
        json.dumps(results_json(suite, analyses, meta), ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    report = out / "report.md"
    report.write_text(
        markdown(suite, analyses, meta, chart.name if chart else None), encoding="utf-8"
    )
    return Written(results, report, chart), analyses
