"""Third-party factual-consistency labels for eval/factuality_bench.py, built into eval/local/.

    python -m eval.consistency_data --qags <qags mirror> --aggrefact <AggreFact mirror> \
        --faithbench <FaithBench mirror>

The mirrors are git directories brought in with the `fetch` tool (github:W4ngatang/qags,
github:Liyan06/AggreFact, github:vectara/FaithBench); files are read with `git show HEAD:path`. Nothing here is committed:
the article texts are CNN/DailyMail and XSum (BBC) stories, not ours to publish, so the records go
to eval/local/factuality/ (git-ignored). Sets, each a list of (document, model sentence, supported?):

- qags-cnndm, qags-xsum: QAGS (Wang et al. 2020) `data/mturk_{cnndm,xsum}.jsonl`, every summary
  sentence judged "is it supported by the article?" by three crowd workers; majority vote. Models:
  Bottom-Up (CNN/DM), BART (XSum).
- cliff: CLIFF (Cao & Wang 2021) as unified by AggreFact (`data/error_type_mapping/CLIFF_error_types.csv`):
  BART and Pegasus summaries with error spans typed intrinsic/extrinsic x NP/predicate. Only its `val`
  cut is used.
- goyal21: Goyal & Durrett 2021, unified the same way (`Goyal21_error_types.csv`; lower-cased texts,
  summaries of several 2020 models, CNN/DM and XSum); `val` cut only, "noise" (garbled words) is
  not a factual error. A summary marked correct gives faithful sentences; a sentence of an erroneous summary
  is an error when it holds an annotated span, and is left out when it holds none (unknown).
- faithbench: FaithBench (Bao et al. 2025), summaries written by ten 2024 LLMs, span annotations;
  how its spans become sentence labels is in eval/faithbench_data.py.

FRANK (github:artidoro/frank) was the issue's first choice: its labels (`human_annotations.json`) are
in the snapshot, but the texts they point to (`benchmark_data.json`, over 4 MiB) are not, so FRANK
cannot be built here. See README, "Factuality on third-party labels".

Every record gets a split: `blind` for 30% of documents (by a hash of the set name and document
id), `tune` for the rest. Only `tune` may be looked at or fitted on; `blind` is run once.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import io
import json
import re
import subprocess
from collections import Counter
from pathlib import Path

LOCAL = Path(__file__).resolve().parent / "local" / "factuality"
BLIND_SHARE = 30  # percent of documents held out, by hash


def split_of(dataset: str, doc_id: str) -> str:
    """`blind` or `tune`, fixed by the document: every sentence of one article is on one side."""
    digest = hashlib.sha1(f"{dataset}:{doc_id}".encode()).hexdigest()
    return "blind" if int(digest, 16) % 100 < BLIND_SHARE else "tune"


def git_show(mirror: Path, path: str) -> str:
    found = subprocess.run(
        ["git", "-C", str(mirror), "show", f"HEAD:{path}"], capture_output=True, check=False
    )
    if found.returncode:
        raise SystemExit(f"{mirror}: cannot read {path}: {found.stderr.decode().strip()}")
    return found.stdout.decode("utf-8")


def doc_id_of(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


# The sets' documents are tokenised text detokenised by their authors, which split numbers apart
# ("235, 000", "1. 3", "2 - 1") where the summaries keep them whole ("235,000"): joined again, so a
# number is compared with the same number. Ids and splits are computed on the text as published.
_SPLIT_NUMBER = (
    (
        re.compile(r"(?<![\d,.])(\d{1,3}(?:, \d{3})+)(?![\d])"),
        lambda m: m.group(1).replace(", ", ","),
    ),
    (
        re.compile(
            r"(?<![\d.])(\d+)\. (\d+)(?=\s?(?:%|per\b|percent|million|billion|trillion|m\b|bn\b|kg|km|miles?\b|mph|ft\b|feet|metres?|tonnes?|lbs?\b|st\b))"
        ),
        r"\1.\2",
    ),
)


def detokenised(text: str) -> str:
    for pattern, repl in _SPLIT_NUMBER:
        text = pattern.sub(repl, text)  # type: ignore[arg-type]
    return text


def record(
    dataset: str, doc_id: str, doc: str, sentence: str, label: int, model: str, errors: list[str]
) -> dict:  # type: ignore[type-arg]
    return {
        "dataset": dataset,
        "doc_id": doc_id,
        "doc": detokenised(doc),
        "sentence": sentence,
        "label": label,  # 1: supported by the document, 0: not
        "model": model,
        "errors": errors,  # the set's own error types, when it has them
        "split": split_of(dataset, doc_id),
    }


def qags(mirror: Path, part: str, model: str) -> list[dict]:  # type: ignore[type-arg]
    out = []
    for line in git_show(mirror, f"data/mturk_{part}.jsonl").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        doc = item["article"]
        doc_id = doc_id_of(doc)
        for entry in item["summary_sentences"]:
            votes = Counter(r["response"] for r in entry["responses"])
            label = int(votes["yes"] > votes["no"])
            sentence = entry["sentence"].strip()
            if sentence:
                out.append(record(f"qags-{part}", doc_id, doc, sentence, label, model, []))
    return out


# Sentence ends of a model summary: a full stop (or ! ?) and a space before the next word.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'`(])")


def summary_sentences(summary: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(summary.replace("<n>", " ")) if s.strip()]


def _spans(cell: str) -> list[str]:
    try:
        value = ast.literal_eval(cell) if cell.strip() else []
    except (ValueError, SyntaxError):
        return []
    flat: list[str] = []
    stack = list(value) if isinstance(value, list) else [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and item.strip():
            flat.append(item.strip())
    return flat


def typed(mirror: Path, name: str) -> list[dict]:  # type: ignore[type-arg]
    """AggreFact's `data/error_type_mapping/<name>_error_types.csv` (CLIFF, Goyal21): summaries
    with error spans typed intrinsic/extrinsic x NP/predicate; its `val` cut only."""
    text = git_show(mirror, f"data/error_type_mapping/{name}_error_types.csv")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        if row["cut"] != "val":  # the test cut stays unseen
            continue
        doc = row["doc"]
        doc_id = f"{row['origin']}-{row['id']}"
        # CLIFF writes "correct"; Goyal21 leaves the cell empty, and marks garbled words "noise",
        # which is not a factual error
        errors = [e for e in _spans(row["error_type"]) if e not in ("correct", "noise")]
        correct = not errors
        spans = [] if correct else _spans(row["annotated_span"])
        for sentence in summary_sentences(row["summ"]):
            low = sentence.lower()
            if correct:
                label = 1
            elif any(span.lower() in low for span in spans):
                label = 0
            else:
                continue  # an erroneous summary's sentence with no marked span: unknown
            out.append(
                record(
                    f"{name.lower()}-{row['origin']}",
                    doc_id,
                    doc,
                    sentence,
                    label,
                    row.get("model_name", ""),  # Goyal21 does not name its models
                    errors if not label else [],
                )
            )
    return out


def faithbench(mirror: Path) -> list[dict]:  # type: ignore[type-arg]
    """FaithBench's summaries, one record per labelled sentence (eval/faithbench_data.py)."""
    from eval.faithbench_data import batches, label_sentences, marks_of

    out = []
    for sample in batches(mirror):
        doc = sample["source"]
        doc_id = doc_id_of(doc)
        model = sample["metadata"]["summarizer"]
        for found in label_sentences(sample["summary"], marks_of(sample)):
            row = record(
                "faithbench", doc_id, doc, found.text, found.label, model, list(found.errors)
            )
            row["annotators"] = found.annotators
            out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--qags", type=Path, help="git directory of github:W4ngatang/qags")
    parser.add_argument("--aggrefact", type=Path, help="git directory of github:Liyan06/AggreFact")
    parser.add_argument("--out", type=Path, default=LOCAL)
    parser.add_argument(
        "--faithbench", type=Path, help="git directory of github:vectara/FaithBench"
    )
    args = parser.parse_args()
    if not args.qags and not args.aggrefact and not args.faithbench:
        parser.error("give at least one mirror (--qags, --aggrefact, --faithbench)")
    sets: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    if args.qags:
        sets["qags-cnndm"] = qags(args.qags, "cnndm", "BottomUp")
        sets["qags-xsum"] = qags(args.qags, "xsum", "BART")
    if args.aggrefact:
        sets["cliff"] = typed(args.aggrefact, "CLIFF")
        sets["goyal21"] = typed(args.aggrefact, "Goyal21")
    if args.faithbench:
        sets["faithbench"] = faithbench(args.faithbench)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, records in sets.items():
        path = args.out / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records))
        counts = Counter((r["split"], r["label"]) for r in records)
        docs = len({r["doc_id"] for r in records})
        print(
            f"{path}: {len(records)} sentences of {docs} documents; "
            + ", ".join(
                f"{s} {'supported' if lab else 'error'} {n}"
                for (s, lab), n in sorted(counts.items())
            )
        )


if __name__ == "__main__":
    main()
