"""Answers that know dates: each citation's publication date and the dates each sentence names,
and a story's timeline. Imports index (news, types, chunking) and qa's shared modules."""
