"""Quality and performance measurements of newsdesk. Only `newsdesk eval` (ui/cli.py) imports it."""
