"""A FactCC-style benchmark for the claim checks: rule-made errors, hand-written errors, paraphrases.

    python -m eval.perturb_bench [--per-rule 40] [--wikinews 40] [--multihop 60] [--score-only]

Sentences come from the seed article, Wikinews (/work/shared/corpora/wikinews/articles.jsonl) and the
MultiHop-RAG corpus (eval/data/multihop-rag/corpus.jsonl), ingested into a throwaway index; each claim
is checked by the real verifier (qa/checks/verify.py) as "<claim> [1]" citing the stored chunk that holds its
source sentence (with its stored sentence vectors and publication date). Printed per error type: the
share flagged for rule-made errors (eval/perturb.py, which shares no code with the checks) per corpus,
and for the hand-written errors (eval/data/claims_handwritten.jsonl); the share of hand-written
paraphrases and of unchanged source sentences kept; the median verification time per claim.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from eval.questions import DATA
from ui.offline import go_offline

WIKINEWS = Path("/work/shared/corpora/wikinews/articles.jsonl")
MULTIHOP = DATA / "multihop-rag" / "corpus.jsonl"
HANDWRITTEN = DATA / "claims_handwritten.jsonl"


def squash(text: str) -> str:
    return " ".join(text.replace("“", '"').replace("”", '"').replace("’", "'").split()).lower()


def load_jsonl(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


class Bench:
    def __init__(self, engine, claims: bool = True) -> None:  # type: ignore[no-untyped-def]
        from qa.types import Passage

        stored = list(engine.store.iter_chunks())
        vectors = engine.retriever.sentence_vectors([s.chunk for s in stored])
        self.passages = [
            Passage(s.chunk, 0.0, published=s.published, sentence_vectors=vectors.get(s.chunk.id))
            for s in stored
        ]
        self.squashed = [squash(p.text) for p in self.passages]
        self.checker = dataclasses.replace(engine._checker(), claims=claims)
        self.times: list[float] = []

    def passage_of(self, sentence: str, article: str | None = None):  # type: ignore[no-untyped-def]
        wanted = squash(sentence)
        for passage, text in zip(self.passages, self.squashed, strict=True):
            if wanted in text and (article is None or passage.chunk.article_id == article):
                return passage
        return None

    def check(self, claim: str, passage) -> tuple[bool, list[str]]:  # type: ignore[no-untyped-def]
        from qa.checks.verify import verify

        started = time.perf_counter()
        result = verify(f"{claim} [1]", [passage], self.checker)
        self.times.append((time.perf_counter() - started) * 1000)
        codes = [c for s in result.sentences for c in s.codes]
        return any(not s.supported for s in result.sentences) or not result.sentences, codes

    def sources(self, article_ids: set[str] | None, limit: int, rng: random.Random) -> list:  # type: ignore[type-arg]
        """(sentence, passage, article sentences) for sentences of the chosen articles."""
        by_article: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
        for passage in self.passages:
            if article_ids is None or passage.chunk.article_id in article_ids:
                by_article[passage.chunk.article_id].append(passage)
        picked = sorted(by_article)
        rng.shuffle(picked)
        out = []
        for article in picked[:limit]:
            sentences = []
            for passage in by_article[article]:
                chunk = passage.chunk
                for a, b in chunk.sentences:
                    text = chunk.text[a - chunk.start : b - chunk.start].strip()
                    if 40 <= len(text) <= 300 and not text.endswith("?") and text[0].isupper():
                        sentences.append((text, passage))
            names = [s for s, _ in sentences]
            out += [(s, p, names) for s, p in dict(sentences).items()]
        return out


def run_generated(bench: Bench, sources: list, per_rule: int, rng: random.Random):  # type: ignore[no-untyped-def,type-arg]
    from eval.perturb import RULES, people_of

    flagged: Counter[str] = Counter()
    total: Counter[str] = Counter()
    people_cache: dict[int, list[str]] = {}
    examples: dict[str, list[str]] = defaultdict(list)
    for name, rule in RULES.items():
        order = list(sources)
        rng.shuffle(order)
        for sentence, passage, names in order:
            if total[name] >= per_rule:
                break
            people = people_cache.setdefault(id(names), people_of(names))
            wrong = rule(sentence, rng, people)
            if not wrong or wrong == sentence:
                continue
            total[name] += 1
            bad, _ = bench.check(wrong, passage)
            flagged[name] += bad
            if not bad and len(examples[name]) < 2:
                examples[name].append(wrong)
    kept = 0
    copies = rng.sample(sources, min(len(sources), per_rule * 2))
    for sentence, passage, _ in copies:
        bad, codes = bench.check(sentence, passage)
        kept += not bad
        if bad:
            examples["unchanged"].append(f"{codes} {sentence}")
    return flagged, total, kept, len(copies), examples


def share(part: int, whole: int) -> str:
    return f"{part / whole:.3f} ({part}/{whole})" if whole else "n/a"


def main() -> None:
    go_offline()
    from qa.engine import Engine
    from qa.settings import Settings

    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--per-rule", type=int, default=40, help="generated errors per rule, corpus"
    )
    parser.add_argument("--wikinews", type=int, default=40, help="Wikinews articles to draw from")
    parser.add_argument(
        "--multihop", type=int, default=60, help="MultiHop-RAG articles to draw from"
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--show-missed", action="store_true")
    parser.add_argument("--index", type=Path, help="keep the index here (re-runs skip embedding)")
    parser.add_argument(
        "--score-only",
        action="store_true",
        help="without the claim checks: the verifier before them",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    hand = load_jsonl(HANDWRITTEN)
    wiki = load_jsonl(WIKINEWS)
    wanted = {h["article"] for h in hand}
    chosen = [r for r in wiki if r["id"] in wanted]
    chosen += rng.sample([r for r in wiki if r["id"] not in wanted], args.wikinews)
    with tempfile.TemporaryDirectory() as tmp:
        subset = Path(tmp) / "wikinews.jsonl"
        subset.write_text("".join(json.dumps(r) + "\n" for r in chosen))
        engine = Engine.from_settings(Settings(data_dir=args.index or Path(tmp) / "data"))
        started = time.perf_counter()
        report = engine.ingest_paths([Path("seeds"), subset, MULTIHOP])
        print(f"index: {report.summary()} in {time.perf_counter() - started:.0f} s")
        bench = Bench(engine, claims=not args.score_only)
        multihop_ids = {r["id"] for r in load_jsonl(MULTIHOP)}
        wiki_ids = {r["id"] for r in chosen}
        corpora = {
            "seed": bench.sources({"aleppo-offensive"}, 1, rng),
            "wikinews": bench.sources(wiki_ids, len(wiki_ids), rng),
            "multihop": bench.sources(multihop_ids, args.multihop, rng),
        }
        results = {
            name: run_generated(bench, found, args.per_rule, rng) for name, found in corpora.items()
        }
        hand_flagged: Counter[str] = Counter()
        hand_total: Counter[str] = Counter()
        missed: list[str] = []
        for item in hand:
            passage = bench.passage_of(item["passage"], item["article"])
            if passage is None:
                print(f"  (hand-written item not found in the index: {item['passage'][:60]})")
                continue
            bad, codes = bench.check(item["claim"], passage)
            hand_total[item["type"]] += 1
            error = item["label"] == "error"
            hand_flagged[item["type"]] += bad
            if bad != error:
                missed.append(f"{item['label']:8s} {item['type']:14s} {codes} {item['claim']}")
        engine.close()

    print("\nrule-made errors flagged (eval/perturb.py), per corpus:")
    print(f"  {'rule':15s} " + " ".join(f"{c:>18s}" for c in results))
    rules = list(next(iter(results.values()))[1])
    for rule in dict.fromkeys([r for res in results.values() for r in res[1]] + rules):
        cells = [share(res[0][rule], res[1][rule]) for res in results.values()]
        print(f"  {rule:15s} " + " ".join(f"{c:>18s}" for c in cells))
    cells = [share(res[2], res[3]) for res in results.values()]
    print(f"  {'unchanged kept':15s} " + " ".join(f"{c:>18s}" for c in cells))
    print("\nhand-written (eval/data/claims_handwritten.jsonl):")
    for kind in sorted(hand_total, key=lambda k: (k == "paraphrase", k)):
        if kind == "paraphrase":
            kept = hand_total[kind] - hand_flagged[kind]
            print(f"  paraphrases kept: {share(kept, hand_total[kind])}")
        else:
            print(f"  {kind:15s} flagged: {share(hand_flagged[kind], hand_total[kind])}")
    errors = sum(v for k, v in hand_total.items() if k != "paraphrase")
    caught = sum(v for k, v in hand_flagged.items() if k != "paraphrase")
    print(f"  all hand-written errors flagged: {share(caught, errors)}")
    times = sorted(bench.times)
    print(f"\nverification per claim: median {statistics.median(times):.2f} ms over {len(times)}")
    if args.show_missed:
        print("\nhand-written items judged wrongly:")
        print("\n".join(f"  {m}" for m in missed))
        for name, res in results.items():
            for rule, texts in res[4].items():
                for text in texts:
                    print(f"  missed {name} {rule}: {text}")


if __name__ == "__main__":
    main()
