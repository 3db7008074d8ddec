"""The offline answerer: choosing and citing sentences (kinds, cues, answer types, figures,
speakers, recency), and answering inside a conversation. Imports qa.asking and qa's shared modules."""
