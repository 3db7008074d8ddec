"""A real `newsdesk serve` for tests: a subprocess on a free loopback port, its log, and its end.

Shared by every test that talks to the server over HTTP (the API, the timeline, eval's HTTP mode, the
drop folder), so that each starts, waits for and stops the server the same way.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import ROOT, free_port


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    data_dir: Path


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any NEWSDESK_ setting, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    return {**env, **extra}


def newsdesk(
    data_dir: Path, *args: str, env: dict[str, str] | None = None, log: Path | None = None
):  # type: ignore[no-untyped-def]
    """`newsdesk --data-dir DIR ARGS`: run to the end without `log`, started in the background with it."""
    command = [sys.executable, "-m", "ui.cli", "--data-dir", str(data_dir), *args]
    if log is None:
        return subprocess.run(
            command, cwd=ROOT, env=env or clean_env(), capture_output=True, text=True, timeout=120
        )
    with log.open("w") as sink:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)


def wait_ready(server: Server, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.process.poll() is None, server.log.read_text()
        try:
            if httpx.get(f"{server.url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"server not ready:\n{server.log.read_text()}")


def start(data_dir: Path, log: Path, env: dict[str, str], *args: str) -> Server:
    """`newsdesk serve` in the background on a free port (not waited for)."""
    port = free_port()
    process = newsdesk(data_dir, "serve", "--port", str(port), *args, env=env, log=log)
    return Server(f"http://127.0.0.1:{port}", process, log, data_dir)


def stop(server: Server) -> None:
    server.process.terminate()
    server.process.wait(timeout=30)


@contextmanager
def serving(data_dir: Path, log: Path, env: dict[str, str], *args: str) -> Iterator[Server]:
    """`newsdesk serve` on `data_dir`, ready, stopped on exit."""
    server = start(data_dir, log, env, *args)
    try:
        wait_ready(server)
        yield server
    finally:
        stop(server)


@contextmanager
def in_thread(app: object, ready: str = "/readyz", timeout: float = 60) -> Iterator[str]:
    """An ASGI `app` served by uvicorn in a thread of this process on a free loopback port; its URL
    once GET `ready` answers 200 (for an engine this process already holds: no second process may
    open an embedded data dir)."""
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")  # type: ignore[arg-type]
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{config.port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{url}{ready}", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
        yield url
    finally:
        uv.should_exit = True
        thread.join(timeout=30)
