"""Finding passages: dense and BM25 rankings fused, scoped search, one passage per story group, a
story's chunks, and a question split into one retrieval per outlet, name or date (decompose.py).
Imports index (store, news, types, chunking), qa.asking (the reading of the question) and qa's shared
modules."""
