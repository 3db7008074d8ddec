"""What ingest learns of a news text: structure, attribution, quotations, persons, dates, aliases,
story groups, near-duplicates. Pure functions over text; imports only index.types and itself."""
