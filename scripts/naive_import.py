#!/usr/bin/env python3
"""The baseline seed 001 suggests: a plain POST loop over the CSV with a pause between calls.

One row at a time: read the row, build {"user": {...}}, base64 it, POST action=add&key=…&params=…,
sleep `--pause` seconds, next row. No parallelism, no retries, no ledger. Standard library only (urllib),
so it runs anywhere Python 3 does. Prints one JSON line: rows, ok, errors, elapsed_s, rate_per_s.
The key comes from GETCOURSE_API_KEY, as for gcimport.
"""
import argparse
import base64
import csv
import json
import os
import sys
import time
import urllib.parse
import urllib.request


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("csv")
    parser.add_argument("--endpoint", required=True, help="base URL, e.g. http://127.0.0.1:18431")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between calls (seed 001: 1)")
    parser.add_argument("--limit", type=int, default=0, help="stop after this many rows (0: all)")
    parser.add_argument("--delimiter", default=";")
    args = parser.parse_args()
    key = os.environ.get("GETCOURSE_API_KEY", "")
    url = args.endpoint.rstrip("/") + "/pl/api/users"
    rows = ok = errors = 0
    started = time.monotonic()
    with open(args.csv, newline="", encoding="utf-8-sig") as handle:
        for record in csv.DictReader(handle, delimiter=args.delimiter):
            if args.limit and rows >= args.limit:
                break
            rows += 1
            params = {"user": {"email": record["Email"].strip().lower(), "first_name": record.get("Имя", "")},
                      "system": {"refresh_if_exists": 1}}
            body = urllib.parse.urlencode({
                "action": "add", "key": key,
                "params": base64.b64encode(json.dumps(params, ensure_ascii=False).encode()).decode()})
            try:
                with urllib.request.urlopen(url, data=body.encode(), timeout=30) as answer:
                    result = json.loads(answer.read() or b"{}")
                ok += 1 if str(result.get("success")).lower() in ("true", "1") else 0
            except Exception:  # the baseline has no retry logic: an error is just counted
                errors += 1
            time.sleep(args.pause)
    elapsed = time.monotonic() - started
    print(json.dumps({"rows": rows, "ok": ok, "errors": errors, "elapsed_s": round(elapsed, 3),
                      "rate_per_s": round(rows / elapsed, 2) if elapsed else 0}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
