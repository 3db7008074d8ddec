"""The edges: command line, HTTP API and the Gradio page. Nothing imports this package."""
