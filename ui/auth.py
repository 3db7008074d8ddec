"""API keys with scopes, from settings: `KEY:SCOPE[+SCOPE]` entries, checked in constant time.

Only SHA-256 digests of the keys are kept after loading, and nothing here ever logs or repeats a
key: error messages name the entry by its position, never by its text.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qa.settings import ServerSettings

SCOPES = ("query", "ingest", "admin")  # admin may do everything


class KeyConfigError(ValueError):
    """The configured API keys cannot be used; the message says which entry and why."""


@dataclass(frozen=True)
class ApiKey:
    digest: bytes  # sha256 of the key: compared instead of the key, so length leaks nothing
    scopes: frozenset[str]

    def allows(self, scope: str) -> bool:
        return scope in self.scopes or "admin" in self.scopes


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


def parse_keys(text: str, origin: str) -> list[ApiKey]:
    """Entries separated by commas or newlines; blank lines and `#` comments are skipped."""
    keys: list[ApiKey] = []
    entries = [e.strip() for line in text.splitlines() for e in line.split("#")[0].split(",")]
    for number, entry in enumerate((e for e in entries if e), start=1):
        key, sep, scopes_text = entry.rpartition(":")
        where = f"{origin}, entry {number}"
        if not sep or not key.strip():
            raise KeyConfigError(
                f"{where}: expected KEY:SCOPE[+SCOPE] (scopes {', '.join(SCOPES)})"
            )
        scopes = frozenset(s.strip() for s in scopes_text.split("+") if s.strip())
        unknown = sorted(scopes - set(SCOPES))
        if unknown or not scopes:
            raise KeyConfigError(
                f"{where}: unknown or missing scope {', '.join(unknown) or '(none)'}; "
                f"use {', '.join(SCOPES)} joined by +"
            )
        keys.append(ApiKey(_digest(key.strip()), scopes))
    return keys


class KeyRing:
    """The configured keys; empty means the server runs without authentication (loopback only)."""

    def __init__(self, keys: Iterable[ApiKey] = ()) -> None:
        self.keys = tuple(keys)
        if len({k.digest for k in self.keys}) != len(self.keys):
            raise KeyConfigError("the same API key is configured twice")

    @property
    def enabled(self) -> bool:
        return bool(self.keys)

    def identify(self, token: str) -> ApiKey | None:
        """The key matching `token`; every configured key is compared, so the time taken does not
        depend on which one (if any) matches."""
        candidate = _digest(token)
        found: ApiKey | None = None
        for key in self.keys:
            if hmac.compare_digest(key.digest, candidate):
                found = key
        return found

    def describe(self) -> str:
        """For the start-up message: how many keys with which scopes (never the keys)."""
        if not self.keys:
            return "no API keys"
        kinds = sorted({"+".join(s for s in SCOPES if s in k.scopes) for k in self.keys})
        return f"{len(self.keys)} API key{'s' if len(self.keys) > 1 else ''} ({', '.join(kinds)})"


def load_keys(server: ServerSettings) -> KeyRing:
    """Keys from `server.api_keys` and `server.api_keys_file` together. Configuring either and
    getting no key is an error: the server would otherwise run without authentication."""
    keys: list[ApiKey] = []
    if server.api_keys is not None:
        keys += parse_keys(server.api_keys.get_secret_value(), "NEWSDESK_API_KEYS")
    if server.api_keys_file is not None:
        path = Path(server.api_keys_file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise KeyConfigError(f"cannot read the API keys file {path}: {err}") from None
        keys += parse_keys(text, str(path))
    configured = server.api_keys is not None or server.api_keys_file is not None
    if configured and not keys:
        raise KeyConfigError("API keys are configured but none was found in them")
    return KeyRing(keys)
