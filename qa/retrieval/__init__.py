"""Finding passages: dense and BM25 rankings fused, scoped search, one passage per story group.
Imports index (store, news, types) and qa's shared modules."""
