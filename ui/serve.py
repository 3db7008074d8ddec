"""`newsdesk serve`: the HTTP API in one uvicorn process, on 127.0.0.1 unless told otherwise.

Without API keys the server answers anyone who can connect, so it then binds loopback only and
refuses any other address.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import ipaddress
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ui.offline import go_offline

EXIT_USAGE = 2
EXIT_FAILED = 1


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # any other name may resolve to a public address


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


def port_problem(host: str, port: int) -> str | None:
    """Why (host, port) cannot be listened on, found before the model is loaded; uvicorn still
    reports the rarer case of the port being taken in between."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as err:
            return f"cannot listen on {host}:{port}: {err.strerror or err}"
    return None


def log_config() -> dict[str, Any]:
    """uvicorn's logging, plus our own `newsdesk.*` loggers on the same handler."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["newsdesk"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


M_ARENA_MAX = -8  # glibc's mallopt() parameter number


def limit_malloc_arenas(arenas: int = 2) -> None:
    """As `MALLOC_ARENA_MAX=2` would, unless that is set. glibc gives threads that allocate at
    once arenas of their own (up to 8 per core); with 16 worker threads answering and ingesting,
    freed memory stays spread over them and the resident size creeps up. In `python -m eval.soak
    --seconds 90` (290 articles ingested): +72 MB with glibc's default, +19 MB with two arenas.
    A no-op where the C library is not glibc."""
    if "MALLOC_ARENA_MAX" in os.environ or not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, arenas)


def _say(message: str) -> None:
    print(f"newsdesk: {message}", file=sys.stderr, flush=True)


def serve(
    settings: Any,
    host: str | None = None,
    port: int | None = None,
    mounts: Sequence[Any] = (),
    watch: Path | None = None,
) -> int:
    """Serve until interrupted; the exit code for the command line."""
    import uvicorn

    from index.store.store import StoreError
    from qa.engine import Engine
    from ui.api import create_app
    from ui.auth import KeyConfigError, load_keys

    host = host or settings.server.host
    port = port or settings.server.port
    try:
        keys = load_keys(settings.server)
    except KeyConfigError as err:
        _say(f"bad API key configuration: {err}")
        return EXIT_USAGE
    if not keys.enabled and not is_loopback(host):
        _say(
            f"refusing to serve on {host} without API keys: anyone who can reach it could read "
            "and change the index. Set NEWSDESK_API_KEYS (e.g. 'KEY:query,KEY2:query+ingest') "
            "or NEWSDESK_API_KEYS_FILE, or serve on 127.0.0.1."
        )
        return EXIT_USAGE
    if problem := port_problem(host, port):
        _say(problem)
        return EXIT_FAILED
    if keys.enabled:
        _say(f"{keys.describe()}; requests need `Authorization: Bearer KEY`")
    else:
        _say("no API keys configured (NEWSDESK_API_KEYS): no authentication, loopback only")
    try:
        engine = Engine.from_settings(settings)
    except StoreError as err:
        _say(str(err))
        return EXIT_FAILED
    watcher = None
    try:
        app = create_app(settings, engine, mounts)
        if watch is not None:
            from ui.watch import Watcher

            watcher = Watcher(engine, watch, say=_say)
            app.state.watch = watcher.status
            watcher.start()
        url = base_url(host, port)
        _say(
            f"serving {url} (page {url}/ui/, API docs {url}/docs, "
            f"OpenAI-compatible base URL {url}/v1)"
        )
        config = uvicorn.Config(
            app, host=host, port=port, log_config=log_config(), server_header=False
        )
        server = uvicorn.Server(config)
        server.run()
        return 0 if server.started else EXIT_FAILED
    finally:
        if watcher is not None:
            watcher.stop()
        engine.close()


def serve_command(
    data_dir: str | None, host: str | None, port: int | None, watch: str | None = None
) -> int:
    """`newsdesk serve`: settings from the environment, `--data-dir`, `--host` and `--port`."""
    go_offline()
    limit_malloc_arenas()  # before the worker threads exist
    from pydantic import ValidationError

    from qa.settings import Settings

    try:
        settings = Settings(**({"data_dir": Path(data_dir)} if data_dir else {}))
    except ValidationError as err:
        _say(f"bad settings: {err}")
        return EXIT_USAGE
    if port is not None and not 1 <= port <= 65535:
        _say("--port must be between 1 and 65535")
        return EXIT_USAGE
    if watch is not None and not Path(watch).is_dir():
        _say(f"--watch: not a folder: {watch}")
        return EXIT_USAGE
    from ui.page import mount_page

    return serve(settings, host, port, [mount_page], Path(watch) if watch else None)
