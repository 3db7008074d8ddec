"""One check per file, each a pure function (claim, aligned passage text) -> a reason or None."""
