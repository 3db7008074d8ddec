"""Where chunks live: Chroma (embedded or a server), the BM25 index, its postings and the vector
mirror, and the records stored. Imports index.types and index.news (story groups)."""
