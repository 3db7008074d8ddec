"""Newsroom formats: one module per format, chosen by suffix (and content for `.json`, `.xml`).
Imports index.types and index.news.

`load_bytes(data, name)` returns a `LoadResult`: articles, `errors` (a file or record that should
have been an article and cannot be used) and `skipped` (a file that is not an article in any
format we know, named with the reason). Nothing is dropped without being listed.
"""

from __future__ import annotations

from index.formats.detect import MAX_FILE_BYTES, SUFFIX_FORMATS, load_bytes, sniff_format

__all__ = ["MAX_FILE_BYTES", "SUFFIX_FORMATS", "load_bytes", "sniff_format"]
