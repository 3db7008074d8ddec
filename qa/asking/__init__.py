"""The question and the conversation: what is asked (its kind, answer type, constraints, time),
follow-ups, and which story it is about. Imports only qa's shared modules and index.news."""
