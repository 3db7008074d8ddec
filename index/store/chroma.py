"""Opening Chroma: embedded (PersistentClient, one process per data dir) or a `chroma run` server."""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx


class StoreError(RuntimeError):
    """The store cannot be used; the message says what to do."""


class StoreUnavailable(StoreError):
    """The Chroma server cannot be reached (or failed); requests may succeed later."""


def _telemetry_off() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


class DataDirLock:
    """One process at a time may write an embedded data dir; a second one fails fast."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self._file = open(data_dir / "newsdesk.lock", "a+")  # noqa: SIM115 - held for our lifetime
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise StoreError(
                f"the data dir {data_dir} is in use by another newsdesk process; an embedded "
                "Chroma directory is not safe for several processes. Stop the other process, "
                "or run `chroma run --path DIR` and set NEWSDESK_CHROMA_URL for all of them."
            ) from None

    def release(self) -> None:
        if not self._file.closed:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()


def open_client(data_dir: Path, chroma_url: str | None) -> tuple[Any, DataDirLock | None]:
    import chromadb

    settings = _telemetry_off()
    if chroma_url:
        parsed = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=settings,
            )
        except Exception as err:  # chromadb raises plain ValueError/ConnectError here
            raise StoreUnavailable(
                f"cannot reach the Chroma server at {chroma_url}: {err}"
            ) from err
        return client, None
    lock = DataDirLock(data_dir)
    try:
        return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings), lock
    except Exception:
        lock.release()
        raise


class Guarded:
    """A Chroma collection whose transport failures (server stopped, unreachable, timed out)
    raise StoreUnavailable, which callers map to "try again later" (the API: 503)."""

    def __init__(self, collection: Any) -> None:
        self._collection = collection

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._collection, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return attribute(*args, **kwargs)
            except httpx.TransportError as err:
                raise StoreUnavailable(f"the Chroma server is unavailable: {err}") from err

        return call
