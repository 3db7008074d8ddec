"""Schemathesis over /openapi.json: generated requests, valid and not, against the real app. No
response may be a 500, and every response must match what the schema documents for it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.conftest import SEEDS

ADMIN_KEY = "schema-admin-key-0123456789"
EXAMPLES = 12  # per operation and phase: bounded, so the whole run takes seconds


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from index.store.store import Store
    from qa.engine import Engine
    from qa.settings import Settings
    from ui.api import create_app

    server = {
        "api_keys": f"{ADMIN_KEY}:admin,other-key-0123456789:query",
        "rate_limit_per_minute": 0,
        "max_article_chars": 5000,
        "max_articles_per_request": 5,
    }
    settings = Settings(data_dir=tmp_path_factory.mktemp("schema") / "data", server=server)
    engine = Engine(settings, Store.open(settings.data_dir, None, settings.collection), embedder)
    engine.ingest_paths([SEEDS])
    yield create_app(settings, engine)
    engine.close()


def _dates_reversed(value: object) -> bool:
    """Whether a request part holds a date range that ends before it starts, at any depth."""
    if isinstance(value, list):
        return any(_dates_reversed(v) for v in value)
    if not isinstance(value, dict):
        return False
    start, end = value.get("published_from"), value.get("published_to")
    try:
        reversed_range = date.fromisoformat(str(start)) > date.fromisoformat(str(end))
    except ValueError:
        reversed_range = False  # not two dates: the schema check judges it as usual
    return reversed_range or any(_dates_reversed(v) for v in value.values())


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_api_matches_its_schema(app, mode: str) -> None:  # type: ignore[no-untyped-def]
    from hypothesis import given
    from schemathesis import GenerationMode

    # Each operation gets its own bounded hypothesis run (schemathesis' pytest plugin cannot load
    # a schema from a fixture under pytest 9, so the strategies are driven directly).
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {"POST /v1/ask", "POST /v1/chat/completions"}
    for operation in operations:
        if mode == "negative" and not (
            operation.body or operation.query or operation.path_parameters
        ):
            continue  # nothing a caller could send wrong (the key is always ours)

        @given(case=operation.as_strategy(GenerationMode(mode)))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,  # the same cases every run: a failure here is reproducible
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def conforms(case) -> None:  # type: ignore[no-untyped-def]
            headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
            if mode == "positive" and _dates_reversed(case.body) | _dates_reversed(case.query):
                # A rule between two fields that the schema cannot state: documented as a 422.
                response = case.call(headers=headers)
                assert response.status_code == 422, response.text
                assert "published_from is after published_to" in response.text
                return
            case.call_and_validate(headers=headers)

        conforms()
