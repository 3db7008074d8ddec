"""The LLM path: client, prompt, condensing, the answer stream and the judge. Imports qa.asking,
qa.checks, qa.dated, qa.extractive.compose (the fallback) and qa's shared modules."""
