"""Article and user text made safe to quote inside a prompt, and dates as a prompt writes them.

Shared by the prompt (qa/llm/), the condensing of follow-ups and verification (qa/checks/), which
compares quotes with the same neutralisation applied to both sides. Pure functions.
"""

from __future__ import annotations

import re

# "<" that starts something tag-like: </x, <x, <!, <?, <|  (with optional spaces in between).
_TAG_OPEN = re.compile(r"<(?=\s*/?\s*[A-Za-z!?|])")
_TOKEN_CLOSE = re.compile(r"\|>")
LOOKALIKE_LT = "\u2039"  # ‹


def neutralise(text: str) -> str:
    """Text that can no longer open or close a tag or a chat-template token."""
    return _TOKEN_CLOSE.sub("|\u203a", _TAG_OPEN.sub(LOOKALIKE_LT, text))


def format_date(published: int | None) -> str | None:
    if not published:
        return None
    digits = f"{published:08d}"
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
