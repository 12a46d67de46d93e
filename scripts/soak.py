#!/usr/bin/env python3
"""The migration-sized soak (scripts/soak.sh): ROWS rows against `gcimport sandbox` in a process of its own
with HTTP 500s, dropped answers, 429 storms and latency jitter; the importer is killed with SIGKILL at
IMPORTER_KILLS random moments and the sandbox at SANDBOX_KILLS (restarted on its state file); every file is
run again until it is complete, number-less orders left unknown are settled by `verify` and sent again by
`retry`. At the end, from the sandbox's own state: every user once, every numbered order once, no
number-less order doubled, the ledgers' counts equal to the sandbox's, `report` adding up to the rows.
Prints one summary line; exits 1 when a check fails.
"""
import atexit
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request

GC, WORK = os.path.abspath(sys.argv[1]), sys.argv[2]
ROWS = int(os.environ.get("ROWS", "200000"))
IMPORTER_KILLS = int(os.environ.get("IMPORTER_KILLS", "50"))
SANDBOX_KILLS = int(os.environ.get("SANDBOX_KILLS", "5"))
SEED = int(os.environ.get("SEED", "7"))
PORT = int(os.environ.get("PORT", "18433"))
WORKERS = os.environ.get("WORKERS", "32")
KEY = "soak-key"
URL = f"http://127.0.0.1:{PORT}"
ENV = dict(os.environ, GETCOURSE_API_KEY=KEY)
SANDBOX_ARGS = [
    "sandbox", "--port", str(PORT), "--key", KEY, "--state", f"{WORK}/account.sqlite", "--fail-rate", "0.2",
    "--drop-rate", "0.1", "--latency", "50±50", "--rate-limit", "400", "--export-build-seconds", "2",
    "--export-polls", "1", "--export-limit", "100000",
]
rng = random.Random(SEED)
# Which importer kills (1-based) also kill the sandbox: spread over the whole soak.
sandbox_kill_moments = set(rng.sample(range(1, IMPORTER_KILLS + 1), min(SANDBOX_KILLS, IMPORTER_KILLS)))
started = time.time()
sandbox = None
sandbox_starts = 0


def answers():
    try:
        urllib.request.urlopen(f"{URL}/__sandbox/state", timeout=5)
        return True
    except Exception:
        return False


def stop_sandbox():
    if sandbox is not None and sandbox.poll() is None:
        sandbox.kill()
        sandbox.wait()


def start_sandbox():
    global sandbox, sandbox_starts
    # Something else on the port would answer for a sandbox that failed to start.
    if answers():
        sys.exit(f"something already answers on {URL}: stop it or set PORT")
    sandbox_starts += 1
    log = open(f"{WORK}/sandbox-{sandbox_starts}.log", "w")
    sandbox = subprocess.Popen([GC] + SANDBOX_ARGS + ["--seed", str(SEED + sandbox_starts)], stdout=log,
                               stderr=subprocess.STDOUT)
    for _ in range(600):
        if sandbox.poll() is not None:
            sys.exit(f"the sandbox exited: see {log.name}")
        if answers():
            return
        time.sleep(0.1)
    sys.exit("the sandbox did not start")


def write_inputs():
    """Users, numbered orders and number-less orders: half, a quarter and a quarter of ROWS."""
    users, numbered = ROWS // 2, ROWS // 4
    numberless = ROWS - users - numbered
    with open(f"{WORK}/users.csv", "w", encoding="utf-8") as out:
        out.write("Email;Имя;Группа\n")
        for i in range(1, users + 1):
            out.write(f"soak{i}@example.com;Имя {i};Поток {i % 7}\n")
    with open(f"{WORK}/numbered.csv", "w", encoding="utf-8") as out:
        out.write("Email;Номер;Товар;Сумма\n")
        for i in range(1, numbered + 1):
            out.write(f"buyer{i % 5000}@example.com;N-{i};Курс {i % 9};{1000 + i % 7 * 100}\n")
    with open(f"{WORK}/numberless.csv", "w", encoding="utf-8") as out:
        out.write("Email;Товар;Сумма\n")
        for i in range(1, numberless + 1):
            out.write(f"single{i}@example.com;Курс {i % 9};{1000 + i % 7 * 100}\n")
    mappings = {
        "users": "kind: user\nfields:\n  user.email: {column: Email, transforms: [email]}\n  user.first_name: Имя\n"
                 "  user.group_name: Группа\n  system.refresh_if_exists: {value: 1}\n",
        "numbered": "kind: deal\nfields:\n  user.email: {column: Email, transforms: [email]}\n"
                    "  deal.deal_number: Номер\n  deal.product_title: Товар\n"
                    "  deal.deal_cost: {column: Сумма, transforms: [money]}\n",
        "numberless": "kind: deal\nfields:\n  user.email: {column: Email, transforms: [email]}\n"
                      "  deal.product_title: Товар\n  deal.deal_cost: {column: Сумма, transforms: [money]}\n",
    }
    for name, text in mappings.items():
        open(f"{WORK}/{name}.yaml", "w", encoding="utf-8").write(text)
    return {"users": users, "numbered": numbered, "numberless": numberless}


def gcimport(args, background=False):
    out = open(f"{WORK}/gcimport.log", "a")
    out.write(f"\n$ gcimport {' '.join(args)}\n")
    out.flush()
    process = subprocess.Popen([GC] + args, cwd=WORK, env=ENV, stdout=out, stderr=subprocess.STDOUT)
    return process if background else process.wait()


def report(name):
    text = subprocess.run([GC, "report", "--ledger", f"{name}.csv.ledger.jsonl", "--json"], cwd=WORK, env=ENV,
                          capture_output=True, text=True).stdout
    return json.loads(text)


kills = {"importer": 0, "sandbox": 0}
runs = 0


def import_file(name, rows, kill_budget):
    """Runs NAME until complete, killing the importer (and now and then the sandbox) at random moments."""
    global runs
    args = ["run", f"{name}.csv", "--mapping", f"{name}.yaml", "--endpoint", URL, "--rate", "none", "--workers",
            WORKERS, "--quiet", "--max-attempts", "8"]
    while True:
        runs += 1
        process = gcimport(args, background=True)
        if kill_budget > 0:
            # Most kills come early, while the file still has much to send.
            deadline = time.time() + rng.uniform(0.5, 12)
            while time.time() < deadline and process.poll() is None:
                time.sleep(0.05)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills["importer"] += 1
                kill_budget -= 1
                if kills["importer"] in sandbox_kill_moments:
                    sandbox.send_signal(signal.SIGKILL)
                    sandbox.wait()
                    kills["sandbox"] += 1
                    start_sandbox()
                continue
        status = process.wait()
        if status == 0:
            return
        counts = report(name)["counts"]
        if name == "numberless" and counts.get("failed", 0) == 0 and counts.get("pending", 0) == 0:
            return  # only unknown left: verify settles them
        if runs > 400:
            sys.exit(f"{name}: not complete after {runs} runs (last status {status})")


def settle_numberless():
    """verify finds which unknown orders landed; retry sends the ones that did not; until all are ok."""
    for _ in range(50):
        counts = report("numberless")["counts"]
        if counts.get("ok", 0) == counts_expected["numberless"]:
            return
        if counts.get("unknown", 0) > 0:
            gcimport(["verify", "--ledger", "numberless.csv.ledger.jsonl", "--poll-interval", "0.5", "--quiet"])
        gcimport(["retry", "--ledger", "numberless.csv.ledger.jsonl", "--rate", "none", "--workers", WORKERS,
                  "--quiet", "--max-attempts", "8"])
    sys.exit("numberless: verify and retry did not settle every order")


counts_expected = write_inputs()
atexit.register(stop_sandbox)
start_sandbox()
budgets = {"users": IMPORTER_KILLS // 2, "numbered": IMPORTER_KILLS // 4}
budgets["numberless"] = IMPORTER_KILLS - budgets["users"] - budgets["numbered"]
for name in ("users", "numbered", "numberless"):
    import_file(name, counts_expected[name], budgets[name])
settle_numberless()

# The account as the sandbox holds it.
state = json.load(urllib.request.urlopen(f"{URL}/__sandbox/state", timeout=600))
emails = [user["email"] for user in state["users"]]
numbers = [deal["number"] for deal in state["deals"] if deal["number"].startswith("N-")]
singles = [deal for deal in state["deals"] if deal["user_email"].startswith("single")]
per_single = {}
for deal in singles:
    per_single[deal["user_email"]] = per_single.get(deal["user_email"], 0) + 1
soak_users = [email for email in emails if email.startswith("soak")]
reports = {name: report(name) for name in counts_expected}
failures = []
if len(soak_users) != counts_expected["users"] or len(set(soak_users)) != len(soak_users):
    failures.append(f"users: {len(soak_users)} in the account ({len(set(soak_users))} distinct), "
                    f"{counts_expected['users']} in the file")
if len(numbers) != counts_expected["numbered"] or len(set(numbers)) != len(numbers):
    failures.append(f"numbered orders: {len(numbers)} ({len(set(numbers))} distinct), "
                    f"{counts_expected['numbered']} in the file")
doubled = sum(1 for count in per_single.values() if count > 1)
if doubled or len(per_single) != counts_expected["numberless"]:
    failures.append(f"number-less orders: {len(per_single)} buyers with one, {doubled} doubled, "
                    f"{counts_expected['numberless']} in the file")
for name, expected in counts_expected.items():
    counts = reports[name]["counts"]
    if counts.get("ok", 0) != expected or reports[name]["rows"] != expected:
        failures.append(f"{name}: report says {counts} for {reports[name]['rows']} rows, {expected} expected")
minutes = (time.time() - started) / 60
print(f"soak: {ROWS} rows ({counts_expected['users']} users, {counts_expected['numbered']} numbered and "
      f"{counts_expected['numberless']} number-less orders), {kills['importer']} importer kills, "
      f"{kills['sandbox']} sandbox kills, {runs} runs; account: {len(set(soak_users))} users, "
      f"{len(set(numbers))} numbered orders, {len(per_single)} number-less orders, {doubled} doubled; "
      f"ledgers: {sum(r['counts'].get('ok', 0) for r in reports.values())} ok; "
      f"{state['summary']['requests']} API requests; {minutes:.1f} min; "
      + ("PASS" if not failures else "FAIL: " + "; ".join(failures)))
sys.exit(1 if failures else 0)
