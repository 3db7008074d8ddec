"""A scriptable OpenAI-compatible chat server: real HTTP on 127.0.0.1, a free port, stdlib only.

Used by the tests and by eval/llm_bench.py with the real `openai` client. The request's model name
picks the script, so one server serves every case:

    good         copies the passages' sentences that best match the question, each cited  [n]
    bad-ref      a good answer, plus a sentence citing only a passage number never given
    unsupported  a good sentence, plus a fabricated one cited to passage 1
    fake-quote   a good sentence, plus a quotation that is in no passage
    sentinel     the fixed CANNOT_ANSWER sentence
    flaky-500    500 on the first request, then like `good`   (flaky-429: 429 the same way)
    always-500   500 every time
    hang         accepts the request and never answers (until the server stops)
    garbage      200 with a body that is not a chat completion (and broken SSE when streaming)
    broken       streams a few words, then drops the connection mid-answer
    stall        streams a few words, then sends nothing more (until the server stops)
    empty        an answer with no text
    uncited      plain text with no [n] at all
    auth         401
    copier       the benchmark's fake model: like `good`, but errs in fixed shares (see `copier`)
    misreader    one good sentence, then the five misreadings of the seed article in MISREADINGS
                 (negation, speaker, actor, weekday, number on another noun), each cited to the
                 passage holding the sentence it misreads; as a judge it approves everything
    judge-no     like `good`; as a judge it answers "not_stated" to everything
    judge-junk   like `good`; as a judge it answers with no verdict word
    repeater     repeats the question as its answer, citing the two passages sharing most of its words
                 (eval/factuality_bench.py: the "question" is a labelled model sentence)

A judge request (qa/llm/judge.py's prompt: numbered <item>s, each <passage>s and a <claim>) gets one
"n: verdict" line per item; a decomposition request (qa/llm/decompose.py) gets the question's
clauses, one a line. Every script but misreader, judge-no and judge-junk judges by words:
"entailed" when each content word of the claim is in its passages, else "not_stated".

Any script streams (SSE, in small deltas) when the request says "stream": true. A condense request
(our follow-up rewrite prompt) gets "<previous question>, regarding <follow-up>?". Nothing here is a
language model: the replies are string operations on the prompt.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CANNOT_ANSWER = "The indexed articles do not contain enough information to answer this question."
_PASSAGE = re.compile(r'<passage n="(\d+)">\n(.*?)\n</passage>', re.DOTALL)
_QUESTION = re.compile(r"<question>(.*?)</question>", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[A-Z0-9\"“])")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "what",
        "who",
        "which",
        "why",
        "how",
        "when",
        "where",
        "did",
        "do",
        "does",
        "has",
        "have",
        "had",
        "that",
        "this",
        "it",
        "its",
        "their",
        "they",
        "about",
        "into",
        "than",
    ]
)


@dataclass
class Reply:
    kind: str  # text | status | hang | garbage | broken
    text: str = ""
    status: int = 200
    truth: dict[str, Any] = field(default_factory=dict)  # what the fake did, for the benchmark


def parse_prompt(messages: list[dict[str, str]]) -> tuple[str, dict[int, str]]:
    """(question, {n: passage text}) from our answer prompt."""
    user = next((m["content"] for m in messages if m.get("role") == "user"), "")
    question = _QUESTION.search(user)
    passages: dict[int, str] = {}
    for number, block in _PASSAGE.findall(user):
        text = block.split("\ntext: ", 1)[1] if "\ntext: " in block else block
        passages[int(number)] = text
    return (question.group(1) if question else ""), passages


def sentences(text: str) -> list[str]:
    return [s.strip() for line in text.splitlines() for s in _SENTENCE_END.split(line) if s.strip()]


def cite(sentence: str, refs: str) -> str:
    """Put the marker before the final full stop, as the prompt's example does."""
    if sentence.endswith("."):
        return f"{sentence[:-1]} {refs}."
    return f"{sentence} {refs}"


def best_sentences(
    question: str, passages: dict[int, str], count: int = 2
) -> list[tuple[int, str]]:
    """The `count` passage sentences sharing most words with the question: what a copier says."""
    wanted = {w for w in _WORD.findall(question.lower()) if w not in _STOP}
    scored = []
    for number, text in sorted(passages.items()):
        for position, sentence in enumerate(sentences(text)):
            if sentence.rstrip('"”').endswith("?"):
                continue
            overlap = len(wanted & set(_WORD.findall(sentence.lower())))
            scored.append((-overlap, number, position, sentence))
    scored.sort()
    chosen: list[tuple[int, str]] = []
    for _, number, _, sentence in scored:
        if sentence not in (s for _, s in chosen):
            chosen.append((number, sentence))
        if len(chosen) == count:
            break
    return chosen


def good(question: str, passages: dict[int, str]) -> str:
    return " ".join(cite(s, f"[{n}]") for n, s in best_sentences(question, passages))


def repeater(question: str, passages: dict[int, str]) -> Reply:
    """The question itself as the answer, cited to the (at most) two passages sharing most of its
    content words: how a model that wrote this sentence from these passages would cite it."""
    wanted = {w for w in _WORD.findall(question.lower()) if w not in _STOP}
    overlap = {n: len(wanted & set(_WORD.findall(text.lower()))) for n, text in passages.items()}
    cited = [n for n in sorted(overlap, key=lambda n: (-overlap[n], n)) if overlap[n]][:2]
    refs = "".join(f"[{n}]" for n in sorted(cited)) or "[1]"
    return Reply("text", cite(question.strip(), refs), truth={"kind": "repeat", "cited": cited})


def condensed(messages: list[dict[str, str]]) -> str:
    user = messages[-1]["content"]
    last = _QUESTION.search(user)
    follow_up = last.group(1).strip() if last else ""
    asked = re.findall(r"^user: (.*)$", user, re.MULTILINE)
    if not asked:
        return follow_up
    core = re.sub(r"^(and|what about|how about)\s+", "", follow_up, flags=re.I).rstrip("?")
    return f"{asked[-1].rstrip('?')}, regarding {core}?"


def searches(messages: list[dict[str, str]]) -> str:
    """A decomposition request: the question's clauses, one a line (cut at "and", "while", "whereas",
    "but", ";" and ","), or the question itself when it has one clause."""
    found = _QUESTION.search(messages[-1]["content"])
    question = found.group(1).strip() if found else ""
    clauses = re.split(r",|;|\s+(?:and|while|whereas|but)\s+", question)
    kept = [c.strip(" ?") for c in clauses if len(c.split()) >= 2]
    return "\n".join(kept) if len(kept) > 1 else question


def copier(question: str, passages: dict[int, str]) -> Reply:
    """The benchmark's fake model. It copies the best sentences with citations, and by a hash of the
    question errs in fixed shares: 10% cites a wrong passage, 8% adds an invented sentence, 7% cites
    a passage number never given, 5% invents a quotation, 5% refuses, 5% answers without citations,
    and in 30% the copied sentences are trimmed (a paraphrase the checker must still accept)."""
    roll = int(hashlib.sha256(question.encode()).hexdigest(), 16) % 100
    chosen = best_sentences(question, passages)
    if not chosen:
        return Reply("text", CANNOT_ANSWER, truth={"kind": "sentinel"})
    if roll >= 95:
        return Reply("text", "I believe that is the case.", truth={"kind": "no-citation"})
    if roll >= 90:
        return Reply("text", CANNOT_ANSWER, truth={"kind": "sentinel"})
    if roll < 30:  # a trimmed copy: drop an attribution or a leading clause
        chosen = [(n, _trim(s)) for n, s in chosen]
    text = [cite(s, f"[{n}]") for n, s in chosen]
    truth: dict[str, Any] = {"kind": "correct"}
    if 60 <= roll < 70 and len(passages) > 1:
        n, s = chosen[-1]
        wrong = next(k for k in sorted(passages, reverse=True) if k != n)
        text[-1] = cite(s, f"[{wrong}]")
        truth = {"kind": "wrong-passage", "bad": s}
    elif 70 <= roll < 78:
        words = [w for w in _WORD.findall(question.lower()) if w not in _STOP][:2] or ["officials"]
        bad = f"The {' and '.join(words)} were first disclosed by an anonymous Norwegian diplomat."
        text.append(cite(bad, f"[{chosen[0][0]}]"))
        truth = {"kind": "invented", "bad": bad}
    elif 78 <= roll < 85:
        n, s = chosen[-1]
        text[-1] = cite(s, f"[{max(passages) + 3}]")
        truth = {"kind": "unknown-ref", "bad": s}
    elif 85 <= roll < 90:
        bad = 'One official called it "a decisive turning point for the whole region".'
        text.append(cite(bad, f"[{chosen[0][0]}]"))
        truth = {"kind": "invented-quote", "bad": bad}
    return Reply("text", " ".join(text), truth=truth)


def _trim(sentence: str) -> str:
    trimmed = re.sub(r",\s*(?:\w+\s){0,3}(?:said|says|told \w+)[^,.]*\.$", ".", sentence)
    trimmed = re.sub(r"^(?:On|In|During|After) [^,]{1,40},\s+", "", trimmed)
    return trimmed[0].upper() + trimmed[1:] if trimmed else sentence


# (the misreading, words of the seed sentence it misreads, the error): the five examples.
MISREADINGS = (
    (
        "The main powers backing each side have made escalatory remarks.",
        "refrained from making escalatory remarks",
        "polarity",
    ),
    (
        "Rami Abdel Rahman said the rebels had prepared months for this offensive.",
        "the rebels had prepared months",
        "speaker",
    ),
    ("Ankara has pushed for a detente.", "pushed for a detente", "actor"),
    (
        "The Kremlin on Wednesday said it hoped Syria would restore order.",
        "The Kremlin on Friday",
        "time",
    ),
    ("At least 311 civilians were killed.", "at least 311 people", "number"),
)
_JUDGE_ITEM = re.compile(r'<item n="(\d+)">\n(.*?)\n</item>', re.DOTALL)
_JUDGE_CLAIM = re.compile(r"<claim>\n(.*?)\n</claim>", re.DOTALL)
_JUDGE_PASSAGE = re.compile(r"<passage>\n(.*?)\n</passage>", re.DOTALL)


def misreader(question: str, passages: dict[int, str]) -> Reply:
    text = [cite(s, f"[{n}]") for n, s in best_sentences(question, passages, 1)]
    planted = []
    for claim, source, kind in MISREADINGS:
        n = next((k for k, p in sorted(passages.items()) if source in p), None)
        if n is not None:
            text.append(cite(claim, f"[{n}]"))
            planted.append(kind)
    return Reply("text", " ".join(text), truth={"kind": "misreadings", "planted": planted})


def judge_reply(script: str, user: str) -> Reply:
    """One "n: verdict" line per <item> of the batched judge prompt (qa/llm/judge.py)."""
    if script == "judge-junk":
        return Reply("text", "I cannot tell.")
    lines = []
    for number, item in _JUDGE_ITEM.findall(user):
        if script == "misreader":
            verdict = "entailed"
        elif script == "judge-no":
            verdict = "not_stated"
        else:
            claim = _JUDGE_CLAIM.search(item)
            evidence = " ".join(_JUDGE_PASSAGE.findall(item)).lower()
            words = {
                w
                for w in _WORD.findall((claim.group(1) if claim else "").lower())
                if w not in _STOP
            }
            verdict = "entailed" if words <= set(_WORD.findall(evidence)) else "not_stated"
        lines.append(f"{number}: {verdict}")
    return Reply("text", "\n".join(lines))


def script_reply(script: str, messages: list[dict[str, str]], attempt: int) -> Reply:
    system = next((m["content"] for m in messages if m.get("role") == "system"), "")
    if "entailed, contradicted, not_stated" in system:
        return judge_reply(script, messages[-1]["content"])
    if "standalone question" in system and script not in ("hang", "garbage", "always-500", "auth"):
        return Reply("text", condensed(messages))
    if "separate searches" in system and script not in ("hang", "garbage", "always-500", "auth"):
        return Reply("text", searches(messages))
    question, passages = parse_prompt(messages)
    if script in ("flaky-500", "flaky-429") and attempt == 1:
        return Reply("status", status=500 if script == "flaky-500" else 429)
    if script == "always-500":
        return Reply("status", status=500)
    if script == "auth":
        return Reply("status", status=401)
    if script in ("hang", "garbage", "broken", "stall"):
        return Reply(script, good(question, passages))
    if script == "empty":
        return Reply("text", "")
    if script == "uncited":
        return Reply("text", "The rebels attacked because the moment seemed right.")
    if script == "sentinel":
        return Reply("text", CANNOT_ANSWER)
    if script == "copier":
        return copier(question, passages)
    if script == "misreader":
        return misreader(question, passages)
    if script == "repeater":
        return repeater(question, passages)
    first = best_sentences(question, passages, 1)
    first_text = cite(first[0][1], f"[{first[0][0]}]") if first else CANNOT_ANSWER
    if script == "bad-ref":  # [1][8]: 8 is dropped; a sentence citing only [8] has no support
        chosen = best_sentences(question, passages)
        unknown = len(passages) + 7
        text = [
            cite(s, f"[{n}][{unknown}]" if i == 0 else f"[{unknown}]")
            for i, (n, s) in enumerate(chosen)
        ]
        return Reply("text", " ".join(text))
    if script == "unsupported":
        return Reply(
            "text", f"{first_text} The offensive was financed by a Norwegian shipping company [1]."
        )
    if script == "fake-quote":
        n = first[0][0] if first else 1
        return Reply(
            "text",
            f'{first_text} Khalifa said the rebels "will be in Damascus by Christmas" [{n}].',
        )
    return Reply(
        "text", good(question, passages)
    )  # good, stream, flaky-* after the first attempt, and unknown names


@functools.cache
def _embedding_model() -> Any:
    # The real MiniLM behind the fake endpoint, so that retrieval over HTTP embeddings is real.
    from index.embedder import OnnxEmbedder

    return OnnxEmbedder()


def _embeddings(body: dict[str, Any]) -> dict[str, Any]:
    texts = body.get("input") or []
    texts = [texts] if isinstance(texts, str) else list(texts)
    vectors = _embedding_model().embed(texts)
    return {
        "object": "list",
        "model": body.get("model", "fake-embedding"),
        "data": [
            {"object": "embedding", "index": i, "embedding": [float(x) for x in v]}
            for i, v in enumerate(vectors)
        ],
        "usage": {"prompt_tokens": 0, "total_tokens": 0},
    }


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that time out or hang up are part of the scripts, not errors


class FakeOpenAI:
    """Start with `with FakeOpenAI() as fake:`; `fake.url` is the base URL for the openai client."""

    def __init__(self, delta_delay: float = 0.0) -> None:
        self.delta_delay = delta_delay
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []  # request headers, in the same order
        self.replies: list[tuple[str, Reply]] = []  # (script, what was sent), in order
        self.attempts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = _QuietServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases hanging handlers
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.headers.clear()
            self.replies.clear()
            self.attempts.clear()

    def receive(self, body: dict[str, Any], headers: dict[str, str]) -> tuple[str, Reply]:
        script = str(body.get("model", "good"))
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            self.attempts[script] += 1
            attempt = self.attempts[script]
        reply = script_reply(script, list(body.get("messages") or []), attempt)
        with self._lock:
            self.replies.append((script, reply))
        return script, reply

    def wait_stopping(self, seconds: float) -> None:
        self._stopping.wait(seconds)


def _completion(model: str, text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


def _chunk(model: str, delta: dict[str, str], finish: str | None = None) -> bytes:
    event = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(event)}\n\n".encode()


def deltas(text: str, size: int = 12) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if self.path.endswith("/embeddings"):
                self._json(200, _embeddings(body))
                return
            if not self.path.endswith("/chat/completions"):
                self._json(404, {"error": {"message": "not found", "type": "invalid_request"}})
                return
            model, reply = fake.receive(body, {k.lower(): v for k, v in self.headers.items()})
            stream = bool(body.get("stream"))
            if reply.kind == "hang":
                fake.wait_stopping(60.0)
                self.close_connection = True
                return
            if reply.kind == "status":
                error = {"error": {"message": f"scripted {reply.status}", "type": "server_error"}}
                # Real servers say when to retry; a short hint keeps the tests quick.
                self._json(reply.status, error, {"retry-after-ms": "20"})
                return
            if reply.kind == "garbage":
                if stream:
                    self._chunked([b"data: {this is not json\n\n"])
                else:
                    self._raw(
                        200, b"<html><body>upstream says hi</body></html>", "application/json"
                    )
                return
            if not stream:
                self._json(200, _completion(model, reply.text))
                return
            events = [_chunk(model, {"role": "assistant", "content": ""})]
            events += [_chunk(model, {"content": d}) for d in deltas(reply.text)]
            if reply.kind in ("broken", "stall"):
                self._chunked(events[:3], ending=reply.kind)
                return
            events += [_chunk(model, {}, "stop"), b"data: [DONE]\n\n"]
            self._chunked(events)

        def _json(
            self, status: int, payload: object, headers: dict[str, str] | None = None
        ) -> None:
            self._raw(status, json.dumps(payload).encode(), "application/json", headers)

        def _raw(
            self, status: int, data: bytes, kind: str, headers: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _chunked(self, events: list[bytes], ending: str = "done") -> None:
            """Server-sent events, chunked; `ending` is done, broken (cut mid-chunk) or stall."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for event in events:
                self.wfile.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
                self.wfile.flush()
                if fake.delta_delay:
                    time.sleep(fake.delta_delay)
            if ending == "done":
                self.wfile.write(b"0\r\n\r\n")
            elif ending == "broken":  # a chunk announced but never sent: a broken connection
                self.wfile.write(b"400\r\npartial")
                self.close_connection = True
            else:
                self.wfile.flush()
                fake.wait_stopping(60.0)
                self.close_connection = True
            self.wfile.flush()

    return Handler
