"""The LLM path: the client behind one interface, the prompt, condensing, the answer stream and
the judge. Imports qa.asking, qa.checks, qa.extractive.compose (the fallback) and qa.dated."""
