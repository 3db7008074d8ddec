"""Checks of an answer's claims: alignment, clauses, one claim check per file (claim, passage text)
-> a reason or None. Imports index (news, chunking) and qa's shared modules."""
