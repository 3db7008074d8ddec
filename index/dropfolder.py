"""A drop folder's bookkeeping: which files are new or changed, which are still being written,
and what has already been ingested (a small JSON state file, so a restart re-reads nothing
that has not changed).

A file is ready once its size and modification time have stood still for `stable_seconds`
(a copy in progress keeps growing), and files named the write-then-rename way (`.name`,
`name.tmp`, `.part`, `.partial`, `.crdownload`, `~`) are never read: they appear under their
final name only when complete. A file whose bytes are unchanged (same SHA-256) is not ingested
again even if touched.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

IN_PROGRESS_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".download", ".swp", "~")


@dataclass(frozen=True)
class Seen:
    size: int
    mtime_ns: int
    sha256: str = ""


def in_progress(name: str) -> bool:
    return name.startswith(".") or name.lower().endswith(IN_PROGRESS_SUFFIXES)


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class DropFolder:
    def __init__(self, folder: Path, state_path: Path, stable_seconds: float = 1.0) -> None:
        self.folder = folder
        self.state_path = state_path
        self.stable_seconds = stable_seconds
        self.done: dict[str, Seen] = self._load()
        self._settling: dict[str, tuple[Seen, float]] = {}  # name -> (last look, since when)
        self.backlog = 0  # files new or changed and not yet ingested

    def _load(self) -> dict[str, Seen]:
        try:
            raw = json.loads(self.state_path.read_text(encoding="utf-8"))
            return {name: Seen(**entry) for name, entry in raw.get("files", {}).items()}
        except (OSError, ValueError, TypeError):
            return {}  # no state yet, or unreadable: files are compared by content again

    def save(self) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_name(self.state_path.name + ".tmp")
        payload = {
            "folder": str(self.folder),
            "files": {n: asdict(s) for n, s in self.done.items()},
        }
        tmp.write_text(json.dumps(payload, indent=0, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.state_path)  # a crash leaves the old state or the new one

    def _files(self) -> dict[str, Seen]:
        found: dict[str, Seen] = {}
        for path in self.folder.rglob("*"):
            rel = path.relative_to(self.folder)
            if any(in_progress(part) for part in rel.parts):
                continue
            with contextlib.suppress(OSError):  # gone or renamed between listing and stat
                st = path.stat()
                if path.is_file():
                    found[rel.as_posix()] = Seen(st.st_size, st.st_mtime_ns)
        return found

    def ready(self, now: float | None = None) -> list[Path]:
        """Files to ingest now: changed since ingested and no longer being written."""
        now = time.monotonic() if now is None else now
        files = self._files()
        changed = {
            n: s
            for n, s in files.items()
            if (d := self.done.get(n)) is None or (d.size, d.mtime_ns) != (s.size, s.mtime_ns)
        }
        for name in list(self._settling):
            if name not in changed:
                del self._settling[name]
        out: list[Path] = []
        for name, seen in sorted(changed.items()):
            last = self._settling.get(name)
            if last is None or last[0] != seen:
                self._settling[name] = (seen, now)  # first look, or still growing
            elif now - last[1] >= self.stable_seconds:
                out.append(self.folder / name)
        self.backlog = len(changed)
        return out

    def unchanged_content(self, path: Path) -> str | None:
        """The file's digest when its bytes are the ones already ingested (just touched):
        then it is recorded as done without ingesting. None when it must be ingested."""
        name = path.relative_to(self.folder).as_posix()
        previous = self.done.get(name)
        current = digest(path)
        if previous is not None and previous.sha256 == current:
            self.mark_done(path, current)
            return current
        return None

    def mark_done(self, path: Path, sha256: str | None = None) -> None:
        name = path.relative_to(self.folder).as_posix()
        with contextlib.suppress(OSError):
            st = path.stat()
            self.done[name] = Seen(st.st_size, st.st_mtime_ns, sha256 or digest(path))
        self._settling.pop(name, None)
        self.backlog = max(self.backlog - 1, 0)
        self.save()
