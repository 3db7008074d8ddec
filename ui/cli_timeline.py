"""`newsdesk timeline "QUERY"` (or `--article ID`): a story's dated events, oldest first, by day."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any


def add_timeline_arguments(commands: Any, func: Callable[[argparse.Namespace], int]) -> None:
    timeline = commands.add_parser("timeline", help="a story's dated events across its articles")
    timeline.add_argument("query", nargs="*", help="the story, e.g. Hurricane Dorian")
    timeline.add_argument("--article", action="append", metavar="ID", help="these articles instead")
    timeline.add_argument("--json", action="store_true", help="the JSON of GET /v1/timeline")
    timeline.add_argument(
        "--from", dest="published_from", help="published on or after (YYYY-MM-DD)"
    )
    timeline.add_argument("--to", dest="published_to", help="published on or before (YYYY-MM-DD)")
    timeline.add_argument("--source", action="append", help="only this outlet")
    timeline.set_defaults(func=func)


def run_timeline(
    args: argparse.Namespace, open_engine: Callable[..., Any], filters_of: Callable[..., Any]
) -> int:
    query = " ".join(args.query).strip()
    if not query and not args.article:
        print("newsdesk: give a story to follow or --article ID", file=sys.stderr)
        return 2
    filters = filters_of(argparse.Namespace(**{**vars(args), "article": None}))
    engine = open_engine(args)
    try:
        result = engine.timeline(query or None, tuple(args.article or ()), filters)
    finally:
        engine.close()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(format_timeline(result))
    return 0


def format_timeline(result: dict[str, Any]) -> str:
    if not result["days"]:
        return "No dated events found."
    lines: list[str] = []
    for day in result["days"]:
        lines.append(day["date"])
        for event in day["events"]:
            lines.append(f"  [{event['ref']}] {event['quote']}")
            when = f' ("{event["mention"]}")' if event["mention"] else " (dated by publication)"
            lines.append(f"      {event['title']}, published {event['published']}{when}")
    return "\n".join(lines)
