from index.chunking import ChunkingConfig, chunk_article, pack_sentences, sentence_spans
from index.formats.loaders import load_paths, parse_text
from index.types import Article, Section
from tests.conftest import SEED_FILE


def words(text: str) -> int:
    return len(text.split())


def test_chunks_slice_the_body_and_never_span_sections(embedder) -> None:
    (article,) = load_paths([SEED_FILE]).articles
    chunks = chunk_article(article, embedder.count_tokens, ChunkingConfig())
    assert len(chunks) >= 4
    for chunk in chunks:
        assert article.body[chunk.start : chunk.end] == chunk.text
        section = next(s for s in article.sections if s.heading == chunk.section)
        assert section.start <= chunk.start < chunk.end <= section.end
        assert embedder.count_tokens(chunk.text) <= 200
        for a, b in chunk.sentences:
            assert chunk.start <= a < b <= chunk.end
    assert {c.section for c in chunks} == {s.heading for s in article.sections}


def test_heading_travels_with_the_chunk(embedder) -> None:
    (article,) = load_paths([SEED_FILE]).articles
    chunks = chunk_article(article, embedder.count_tokens, ChunkingConfig())
    why_now = [c for c in chunks if c.section == "Why now?"]
    assert why_now and all(
        c.indexed_text.startswith(f"{article.title}\nWhy now?\n") for c in why_now
    )
    truce = [c for c in why_now if "Hezbollah-Israel truce" in c.text]
    assert truce
    for chunk in why_now:
        for (a, b), (x, y) in zip(
            chunk.sentences, chunk.sentence_spans_in_indexed_text(), strict=True
        ):
            assert chunk.indexed_text[x:y] == article.body[a:b]


def test_ids_are_deterministic_and_change_with_content(embedder) -> None:
    (article,) = load_paths([SEED_FILE]).articles
    first = chunk_article(article, embedder.count_tokens, ChunkingConfig())
    again = chunk_article(article, embedder.count_tokens, ChunkingConfig())
    assert [c.id for c in first] == [c.id for c in again]
    edited = Article(**{**article.__dict__, "body": article.body.replace("311", "312")})
    changed = chunk_article(edited, embedder.count_tokens, ChunkingConfig())
    assert not {c.id for c in first} & {c.id for c in changed}


def test_overlap_and_progress() -> None:
    sizes = [50, 50, 50, 50, 50, 50]
    spans = [(i * 10, i * 10 + 9) for i in range(6)]
    windows = pack_sentences(spans, sizes, max_tokens=150, overlap_tokens=60)
    assert windows == [(0, 2), (2, 4), (4, 5)]
    # a window always advances, even when the overlap could hold the whole previous window
    assert pack_sentences(spans[:2], [10, 10], max_tokens=10, overlap_tokens=100) == [
        (0, 0),
        (1, 1),
    ]


def test_sentences_respect_lines_and_punctuation() -> None:
    body = "First sentence here. Second one follows!\nA line without a stop\nLast."
    spans = sentence_spans(body, 0, len(body))
    assert [body[a:b] for a, b in spans] == [
        "First sentence here.",
        "Second one follows!",
        "A line without a stop",
        "Last.",
    ]


def test_overlong_sentence_is_split_at_whitespace() -> None:
    body = " ".join(f"word{i}" for i in range(500))
    article = Article(id="long", title="Long", body=body, sections=(Section(None, 0, len(body)),))
    chunks = chunk_article(article, words, ChunkingConfig(max_tokens=100, overlap_tokens=0))
    assert all(words(c.text) <= 100 for c in chunks)
    assert " ".join(c.text for c in chunks) == body


def test_plain_text_without_sections_is_one_section(embedder) -> None:
    (article,) = parse_text("Title\nOne. Two. Three.", "plain.txt").articles
    chunks = chunk_article(article, embedder.count_tokens, ChunkingConfig())
    assert [c.text for c in chunks] == ["One. Two. Three."] and chunks[0].section is None
