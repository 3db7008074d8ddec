"""`newsdesk watch DIR` and `newsdesk serve --watch DIR`: ingest files as they land in a folder.

Changes are noticed through watchfiles (inotify), or by polling where that cannot run (network
file systems, no inotify watches left); either way the folder is also re-scanned every
`poll_seconds`, which is what lets a file still being written settle first
(index/dropfolder.py). One log line per file; the state file in the data dir makes a restart
skip what was already ingested.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.dropfolder import DropFolder
from index.formats.loaders import load_paths

log = logging.getLogger("newsdesk.watch")


@dataclass
class WatchStatus:
    folder: str
    mode: str = "starting"  # inotify or polling
    files_ingested: int = 0
    last_file: str | None = None
    last_ingest_at: str | None = None  # ISO 8601, UTC
    backlog: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "mode": self.mode,
            "files_ingested": self.files_ingested,
            "last_file": self.last_file,
            "last_ingest_at": self.last_ingest_at,
            "backlog": self.backlog,
        }


def state_path(data_dir: Path, folder: Path) -> Path:
    import hashlib

    key = hashlib.sha1(str(folder.resolve()).encode()).hexdigest()[:10]
    return data_dir / f"watch-{key}.json"


class Watcher:
    """Runs in a thread of its own (`start`) or in the caller's (`run`) until `stop`."""

    def __init__(
        self,
        engine: Any,
        folder: Path,
        poll_seconds: float = 0.5,
        stable_seconds: float = 1.0,
        force_polling: bool = False,
        say: Callable[[str], None] | None = None,
    ) -> None:
        self.engine = engine
        self.folder = folder
        self.poll_seconds = poll_seconds
        self.force_polling = force_polling
        self.drop = DropFolder(folder, state_path(engine.settings.data_dir, folder), stable_seconds)
        self.status = WatchStatus(str(folder))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._say = say or log.info

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="newsdesk-watch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        self._say(f"watching {self.folder} (files are ingested once they stop changing)")
        self.scan_once()
        try:
            self._run_watchfiles()
        except Exception as err:  # no inotify here (or none left): poll instead
            if self._stop.is_set():
                return
            self._say(f"watch: file events unavailable ({err}); polling every {self.poll_seconds}s")
            self._run_polling()

    def _run_watchfiles(self) -> None:
        from watchfiles import watch

        self.status.mode = "polling" if self.force_polling else "inotify"
        for _changes in watch(
            self.folder,
            stop_event=self._stop,
            yield_on_timeout=True,
            rust_timeout=max(int(self.poll_seconds * 1000), 50),
            debounce=50,
            step=25,
            force_polling=self.force_polling,
            poll_delay_ms=max(int(self.poll_seconds * 1000), 50),
            raise_interrupt=False,
        ):
            self.scan_once()
            if self._stop.is_set():
                return

    def _run_polling(self) -> None:
        self.status.mode = "polling"
        while not self._stop.wait(self.poll_seconds):
            self.scan_once()

    def scan_once(self) -> int:
        """Ingest every file that is ready; returns how many were."""
        try:
            ready = self.drop.ready()
        except OSError as err:
            self._say(f"watch: cannot list {self.folder}: {err}")
            return 0
        self.status.backlog = self.drop.backlog
        for path in ready:
            if self._stop.is_set():
                break
            self._ingest(path)
        self.status.backlog = self.drop.backlog
        return len(ready)

    def _ingest(self, path: Path) -> None:
        name = path.relative_to(self.folder).as_posix()
        started = time.perf_counter()
        try:
            if self.drop.unchanged_content(path):
                self._say(f"watch: {name}: unchanged (same bytes as already ingested)")
                return
            report = self.engine.ingest_loaded(load_paths([path]))
        except Exception as err:  # the store went away, ...: try this file again next scan
            self._say(f"watch: {name}: not ingested ({err}); will retry")
            return
        self.drop.mark_done(path)
        self.status.files_ingested += 1
        self.status.last_file = name
        self.status.last_ingest_at = datetime.now(UTC).isoformat(timespec="seconds")
        why = "; ".join(str(e.message) for e in [*report.failed, *report.skipped][:3])
        took = time.perf_counter() - started
        self._say(
            f"watch: {name}: {report.summary()} in {took:.2f}s" + (f" ({why})" if why else "")
        )
