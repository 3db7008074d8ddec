"""Ingestion side of newsdesk: load articles, chunk them, embed the chunks, store them.

This package imports nothing else of ours; `qa/` builds on it.
"""
