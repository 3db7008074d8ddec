"""Ingestion: load articles, chunk them, embed the chunks, store them (ingest on top of the rooms
news < formats, store). Imports nothing else of ours; `qa/` builds on it."""
