"""Finding passages: dense and BM25 rankings fused, scoped search, one passage per story group, a
story's chunks and its follow-ups, and a question split into one retrieval per outlet, name or date.
Imports index.store.store, qa.dated.continuity, qa.asking (decompose.py: the reading of the question)
and qa's shared modules."""
