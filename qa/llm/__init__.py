"""The LLM path: client, prompt, the context (passages filling a token budget, gather.py),
condensing, splitting a question, the answer stream and the judge. Imports qa.asking, qa.retrieval,
qa.checks, qa.dated, qa.extractive.compose (the fallback) and qa's shared modules."""
