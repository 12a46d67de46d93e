#!/usr/bin/env python3
"""Reads a gcimport ledger and reports the achieved call rate and the busiest one-second window.

Uses the `t` stamps of the `sent` lines (written just before each call goes out). Prints one JSON line:
calls, span_s, rate_per_s, max_in_1s_window.
"""
import json
import sys
from datetime import datetime


def stamp(text: str) -> float:
    return datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def main() -> int:
    times = []
    with open(sys.argv[1], encoding="utf-8") as handle:
        for line in handle:
            event = json.loads(line)
            if event.get("state") == "sent":
                times.append(stamp(event["t"]))
    times.sort()
    head = worst = 0
    for tail, moment in enumerate(times):
        while moment - times[head] >= 1.0:
            head += 1
        worst = max(worst, tail - head + 1)
    span = times[-1] - times[0] if len(times) > 1 else 0
    rate = (len(times) - 1) / span if span else 0
    print(json.dumps({"calls": len(times), "span_s": round(span, 3), "rate_per_s": round(rate, 3),
                      "max_in_1s_window": worst}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
