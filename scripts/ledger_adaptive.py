#!/usr/bin/env python3
"""Reads the ledger of a `--rate auto` run against a sandbox with a hidden `--rate-limit` and reports, for the
window [FROM, TO) seconds after the first call: the calls GetCourse took (answers other than 429) per second
against the limit, the share of calls answered 429, and the rate in force (the `rate` of `sent` lines).

Usage: ledger_adaptive.py LEDGER LIMIT FROM TO. Prints one JSON line.
"""
import json
import sys
from datetime import datetime


def stamp(text: str) -> float:
    return datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def main() -> int:
    path, limit, low, high = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    events = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            event = json.loads(line)
            if event.get("row") is not None and "t" in event:
                events.append(event)
    sent = [stamp(e["t"]) for e in events if e["state"] == "sent"]
    origin = min(sent)
    taken = pushed = 0
    rates = []
    for event in events:
        moment = stamp(event["t"]) - origin
        if not low <= moment < high:
            continue
        if event["state"] == "sent":
            if "rate" in event:
                rates.append(event["rate"])
        elif event.get("http_status") == 429:
            pushed += 1
        elif "attempt" in event:
            taken += 1
    span = high - low
    rates.sort()
    print(json.dumps({
        "window_s": [low, high], "taken_per_s": round(taken / span, 2),
        "share_of_limit": round(taken / span / limit, 4),
        "answered_429": pushed, "share_429": round(pushed / max(1, taken + pushed), 4),
        "rate_in_force": {"min": rates[0], "median": rates[len(rates) // 2], "max": rates[-1]} if rates else None,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
