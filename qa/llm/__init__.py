"""The LLM path: the client behind one interface, the prompt, the context (passages filling a token
budget), condensing, the answer stream and the judge. Imports qa.asking, qa.checks,
qa.extractive.compose (the fallback), qa.dated and qa.retrieval (gather.py: what to retrieve)."""
