"""The offline answerer: choosing and citing sentences (scorer, explainer kinds, cues, figures,
speakers, recency) inside a conversation. Imports qa.asking, qa's shared modules and index."""
