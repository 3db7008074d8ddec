"""Question answering: read the question, retrieve passages, compose an answer, verify it. Its
shared modules (types, settings, words, synonyms, quoting) import only index; rooms import up."""
