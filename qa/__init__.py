"""Question answering over the index: retrieve passages, compose an answer, verify its citations."""
