"""Shared fixtures. Every test runs offline: any connection to a non-loopback address fails."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from ui.offline import go_offline

go_offline()

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "aleppo-offensive.txt"


class NetworkBlocked(RuntimeError):
    pass


def _loopback(address: object) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX paths
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that opens a connection beyond 127.0.0.0/8 or ::1."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guarded(connect):  # type: ignore[no-untyped-def]
        def wrapper(self: socket.socket, address: object):  # type: ignore[no-untyped-def]
            if not _loopback(address):
                raise NetworkBlocked(f"test tried to connect to {address!r}")
            return connect(self, address)

        return wrapper

    monkeypatch.setattr(socket.socket, "connect", guarded(real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guarded(real_connect_ex))


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    from index.embedder import OnnxEmbedder

    return OnnxEmbedder()


@pytest.fixture
def settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    from qa.settings import Settings

    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def engine(settings, embedder) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from index.store.store import Store
    from qa.engine import Engine

    store = Store.open(settings.data_dir, None, settings.collection)
    engine = Engine(settings, store, embedder)
    yield engine
    engine.close()


@pytest.fixture
def seeded(engine):  # type: ignore[no-untyped-def]
    report = engine.ingest_paths([SEEDS])
    assert report.added == ["aleppo-offensive"]
    return engine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


BROWSER_TESTS = Path(__file__).parent / "test_page_browser.py"


def _browser_test_names() -> list[str]:
    import ast

    tree = ast.parse(BROWSER_TESTS.read_text(encoding="utf-8"))
    return [
        n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
    ]


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    """Say plainly when the page's browser tests did not run, which ones, and how to run them:
    a skipped module is otherwise one easily missed `s` in the progress line."""
    skipped = [
        r
        for r in terminalreporter.stats.get("skipped", [])
        if BROWSER_TESTS.name in str(getattr(r, "nodeid", ""))
        or BROWSER_TESTS.name in str(r.longrepr)
    ]
    if not skipped:
        return
    reason = (
        skipped[0].longrepr[2]
        if isinstance(skipped[0].longrepr, tuple)
        else str(skipped[0].longrepr)
    )
    names = _browser_test_names()
    terminalreporter.section("browser tests NOT run", sep="=", yellow=True, bold=True)
    terminalreporter.write_line(
        f"SKIPPED {len(names)} browser tests of the page ({BROWSER_TESTS.relative_to(ROOT)}): "
        f"{reason.removeprefix('Skipped: ')}"
    )
    for name in names:
        terminalreporter.write_line(f"  - {name}")
    terminalreporter.write_line(
        "To run them: sudo apt-get install -y chromium   then   make test   "
        "(or: .venv/bin/python -m pytest tests/test_page_browser.py)"
    )
