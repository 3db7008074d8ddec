"""The edges: command line, HTTP API, the Gradio page and llama-index (ui/llamaindex.py). Nothing
imports this package."""
