"""The question and the conversation: one reading of what is asked (asked.py) and which story it
is about. Imports qa's shared modules and index.news."""
