"""RealTimeQA (Kasai et al., NeurIPS 2023 Datasets and Benchmarks; github.com/realtimeqa/realtimeqa_public)
as local benchmark files: each week's quiz questions and the web pages its search fetched for them.

    python -m eval.realtimeqa_data MIRROR [--out eval/local/realtimeqa]

MIRROR is a git directory of the repository (the `fetch` tool's copy); files are read with
`git -C MIRROR show HEAD:past/YYYY/...`. Only `past/2023` and `past/2024` are read: `*_qa.jsonl` (the
questions, their choices and the gold choice) with `*_gcs.jsonl` (for each question, up to 10 pages a
web search returned, as scraped: bylines, datelines, promos and all).

The article texts are not ours to publish: everything is written under `eval/local/` (git-ignored),
never committed. Per week, `OUT/<split>/<week>/articles.jsonl` (our JSON Lines article format; id
`rtqa-` + a hash of the URL, the URL kept as it is, source = the site's host) and `questions.jsonl`.

The split is fixed here, before any answerer change (issue 25): **dev** = the 2023 weeks and 2024's
first half, **blind** = 2024's weeks from July on (`BLIND_FROM`). Blind files are built but nothing of
them is printed (only how many weeks): they are for one run at the end.

Answerable: the gold choice appears in a sentence of one of the question's own pages that is about
the question (`gold_on_topic`): by the rule the scoring uses (`eval/scoring.py`'s squash: spaces and
newlines removed), in one of its letter cases (`gold_forms`: "Six" is also "six"), in a sentence
which, with the sentence before and after it, shares a content word with the question (a term the
index searches by: stemmed, not a stopword, not one of the gold's own words). A gold anywhere in a
page is not enough: "Disney" occurs in a holiday guide that says nothing of Disney's job cuts, "90"
in "dead at 90". The neighbours count because a sentence often names its subject in the one before
it (a heading, "It said ..."). Questions whose gold is in none of their pages, or only in sentences
that are not about the question ("gold only by coincidence"), are left out (both counted).
`*_qa_nota.jsonl` repeats each question word for word with the gold choice sometimes replaced by "None
of the above": for a free-text answerer that is the same question, still answerable, so it is not used
(checked and counted below). Unanswerable questions are made instead by asking a week's index another
week's answerable question (`PARTNER_OFFSET` weeks away in the same split) whose gold appears nowhere
in the host week's pages: the news it asks about is not in the index.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from eval.scoring import contains_evidence
from index.chunking import sentence_spans
from index.store.bm25 import search_terms

YEARS = ("2023", "2024")
BLIND_FROM = "20240701"  # weeks from here on are the blind split
PARTNER_OFFSET_SHARE = 0.5  # the partner week is half the split's weeks away
UNANSWERABLE_PER_WEEK = 8  # borrowed questions asked of each week's index
DEFAULT_OUT = Path(__file__).parent / "local" / "realtimeqa"


class DataError(RuntimeError):
    pass


def split_of(week: str) -> str:
    return "blind" if week >= BLIND_FROM else "dev"


def _git_show(mirror: Path, path: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(mirror), "show", f"HEAD:{path}"], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise DataError(f"{mirror}: cannot read {path}: {done.stderr.strip()}")
    return done.stdout


def _records(mirror: Path, path: str) -> list[dict]:
    return [json.loads(line) for line in _git_show(mirror, path).splitlines() if line.strip()]


def weeks_in(mirror: Path) -> list[str]:
    """Weeks (yyyymmdd) that have both a quiz and its search results."""
    done = subprocess.run(
        ["git", "-C", str(mirror), "ls-tree", "-r", "--name-only", "HEAD"]
        + [f"past/{y}" for y in YEARS],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise DataError(f"{mirror} is not a git directory of realtimeqa_public: {done.stderr}")
    names = set(done.stdout.split())
    return sorted(
        name.rsplit("/", 1)[1][:8]
        for name in names
        if name.endswith("_qa.jsonl") and name.replace("_qa.jsonl", "_gcs.jsonl") in names
    )


def gold_forms(gold: str) -> list[str]:
    """The gold as written, in lower case, with a capital first letter and in title case: the
    evidence strings a page or a cited sentence must hold (a quiz capitalises its choices)."""
    gold = gold.strip()
    return list(dict.fromkeys((gold, gold.lower(), gold[:1].upper() + gold[1:], gold.title())))


def gold_on_topic(question: str, gold: str, evidence: Sequence[str], bodies: Iterable[str]) -> bool:
    """Whether `evidence` (the gold's forms) is in a sentence of `bodies` that is about `question`:
    that sentence, with the one before and after it, shares a search term with the question other
    than the gold's own terms (the module docstring)."""
    wanted = set(search_terms(question)) - set(search_terms(gold))
    for body in bodies:
        if not wanted or not contains_evidence(body, evidence):
            continue
        sentences = [body[a:b] for a, b in sentence_spans(body, 0, len(body))]
        for k, sentence in enumerate(sentences):
            if not contains_evidence(sentence, evidence):
                continue
            if wanted.intersection(search_terms(" ".join(sentences[max(0, k - 1) : k + 2]))):
                return True
    return False


def article_id(url: str) -> str:
    return "rtqa-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]


@dataclass
class Week:
    week: str
    articles: dict[str, dict]  # id -> our article record
    questions: list[dict]  # every quiz question with its gold, pages and whether answerable
    nota_same: int = 0  # nota questions whose text equals the quiz question's
    nota_total: int = 0


def _article(result: dict) -> dict | None:
    text = (result.get("text") or "").strip()
    url = result.get("url") or ""
    if not text or not url:
        return None
    record = {
        "id": article_id(url),
        "title": (result.get("title") or "").strip() or url,
        "body": text,
        "url": url,
        "source": urlparse(url).netloc.removeprefix("www."),
    }
    if result.get("publish_date"):
        record["published_at"] = str(result["publish_date"]).replace("/", "-")[:10]
    authors = [a for a in result.get("authors") or [] if isinstance(a, str) and a.strip()]
    if authors:
        record["author"] = ", ".join(authors[1:] or authors)  # the first is often all run together
    return record


def read_week(mirror: Path, week: str) -> Week:
    year = week[:4]
    quiz = _records(mirror, f"past/{year}/{week}_qa.jsonl")
    pages = {
        r["question_id"]: r.get("search_result") or []
        for r in _records(mirror, f"past/{year}/{week}_gcs.jsonl")
    }
    articles: dict[str, dict] = {}
    questions: list[dict] = []
    for q in quiz:
        gold = q["choices"][int(q["answer"][0])]
        ids = []
        for result in pages.get(q["question_id"], []):
            record = _article(result)
            if record:
                articles.setdefault(record["id"], record)
                ids.append(record["id"])
        ids = list(dict.fromkeys(ids))
        bodies = [articles[i]["body"] for i in ids]
        in_pages = any(contains_evidence(body, gold_forms(gold)) for body in bodies)
        on_topic = in_pages and gold_on_topic(
            q["question_sentence"], gold, gold_forms(gold), bodies
        )
        questions.append(
            {
                "id": q["question_id"],
                "question": q["question_sentence"],
                "gold": gold,
                "evidence": gold_forms(gold),
                "choices": q["choices"],
                "question_date": q.get("question_date"),
                "article_ids": ids,
                "gold_in_pages": in_pages,  # anywhere in a page, by coincidence or not
                "gold_on_topic": on_topic,  # in a sentence about the question: answerable
            }
        )
    built = Week(week, articles, questions)
    try:
        nota = _records(mirror, f"past/{year}/{week}_qa_nota.jsonl")
    except DataError:
        nota = []
    texts = {q["id"]: q["question"] for q in questions}
    built.nota_total = len(nota)
    built.nota_same = sum(
        texts.get(n["question_id"].removesuffix("_nota")) == n["question_sentence"] for n in nota
    )
    return built


def benchmark_questions(host: Week, partner: Week) -> Iterator[dict]:
    """The host week's answerable questions, then up to UNANSWERABLE_PER_WEEK of the partner's
    answerable ones whose gold no page of the host holds anywhere (scoped to a host question's pages
    in the scoped mode)."""
    for q in host.questions:
        if q["gold_on_topic"] and q["article_ids"]:
            yield {**q, "answerable": True}
    bodies = [a["body"] for a in host.articles.values()]
    scopes = [q["article_ids"] for q in host.questions if q["article_ids"]]
    borrowed = 0
    for q in partner.questions:
        if borrowed >= UNANSWERABLE_PER_WEEK or not scopes:
            break
        if not q["gold_on_topic"] or any(contains_evidence(b, q["evidence"]) for b in bodies):
            continue
        yield {
            **q,
            "id": f"{q['id']}@{host.week}",
            "answerable": False,
            "borrowed_from": partner.week,
            "article_ids": scopes[borrowed % len(scopes)],
        }
        borrowed += 1


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def build(mirror: Path, out: Path) -> dict[str, dict[str, int]]:
    weeks = weeks_in(mirror)
    if not weeks:
        raise DataError(f"{mirror}: no past/2023 or past/2024 quiz with its search results")
    counts: dict[str, dict[str, int]] = {}
    for split in ("dev", "blind"):
        names = [w for w in weeks if split_of(w) == split]
        read = {w: read_week(mirror, w) for w in names}
        offset = max(1, int(len(names) * PARTNER_OFFSET_SHARE))
        tally = counts.setdefault(
            split,
            dict.fromkeys(
                (
                    "weeks",
                    "articles",
                    "answerable",
                    "unanswerable",
                    "gold_not_in_pages",
                    "gold_by_coincidence",
                    "nota",
                    "nota_same",
                ),
                0,
            ),
        )
        for k, name in enumerate(names):
            week = read[name]
            partner = read[names[(k + offset) % len(names)]]
            rows = list(benchmark_questions(week, partner))
            _write_jsonl(out / split / name / "articles.jsonl", list(week.articles.values()))
            _write_jsonl(out / split / name / "questions.jsonl", rows)
            tally["weeks"] += 1
            tally["articles"] += len(week.articles)
            tally["answerable"] += sum(r["answerable"] for r in rows)
            tally["unanswerable"] += sum(not r["answerable"] for r in rows)
            tally["gold_not_in_pages"] += sum(not q["gold_in_pages"] for q in week.questions)
            tally["gold_by_coincidence"] += sum(
                q["gold_in_pages"] and not q["gold_on_topic"] for q in week.questions
            )
            tally["nota"] += week.nota_total
            tally["nota_same"] += week.nota_same
    (out / "split.json").write_text(
        json.dumps({s: [w for w in weeks if split_of(w) == s] for s in ("dev", "blind")}, indent=1),
        encoding="utf-8",
    )
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.realtimeqa_data")
    parser.add_argument("mirror", type=Path, help="git directory of realtimeqa/realtimeqa_public")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        counts = build(args.mirror, args.out)
    except DataError as err:
        print(f"realtimeqa_data: {err}", file=sys.stderr)
        return 1
    dev = counts["dev"]
    print(
        f"dev: {dev['weeks']} weeks, {dev['articles']} pages, {dev['answerable']} answerable "
        f"questions, {dev['unanswerable']} unanswerable (borrowed); left out: "
        f"{dev['gold_not_in_pages']} whose gold is in none of their pages, "
        f"{dev['gold_by_coincidence']} whose gold is there only by coincidence (in no sentence about "
        f"the question); nota: {dev['nota_same']} of {dev['nota']} repeat the "
        f"quiz question word for word"
    )
    print(f"blind: {counts['blind']['weeks']} weeks built under {args.out / 'blind'} (not shown)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
