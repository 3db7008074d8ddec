"""Quality and performance measurements of newsdesk. Nothing imports this package."""
