# Shared by the benchmark scripts (sourced, not run): a users file and a sandbox to send it to.
# Expects GC (the gcimport binary), PORT, KEY and WORK; sets SANDBOX_PID.

SANDBOX_PID=""

cleanup() {  # stops the sandbox and removes WORK; the scripts run it on exit
    if [ -n "$SANDBOX_PID" ]; then kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}

users_csv() {  # users_csv FILE ROWS [GROUP]: Email;Имя, plus a Группа column holding GROUP when given
    python3 - "$1" "$2" "${3:-}" <<'PY'
import sys
path, rows, group = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w", encoding="utf-8") as out:
    out.write("Email;Имя" + (";Группа" if group else "") + "\n")
    for i in range(1, rows + 1):
        out.write(f"user{i}@example.com;Имя {i}" + (f";{group}" if group else "") + "\n")
PY
}

users_mapping() {  # users_mapping FILE: the mapping of users_csv's columns, refreshing existing users
    cat >"$1" <<'YAML'
kind: user
fields:
  user.email: {column: Email, transforms: [email]}
  user.first_name: Имя
  user.group_name: Группа
  system.refresh_if_exists: {value: 1}
YAML
}

start_sandbox() {  # start_sandbox [sandbox options…]: (re)starts the sandbox on PORT and waits for it
    if [ -n "${SANDBOX_PID:-}" ]; then kill "$SANDBOX_PID"; wait "$SANDBOX_PID" 2>/dev/null || true; fi
    "$GC" sandbox --port "$PORT" --key "$KEY" "$@" >"$WORK/sandbox.log" 2>&1 &
    SANDBOX_PID=$!
    for _ in $(seq 1 100); do
        if curl -s -o /dev/null "http://127.0.0.1:$PORT/__sandbox/state"; then return; fi
        sleep 0.1
    done
    echo "sandbox did not start" >&2; cat "$WORK/sandbox.log" >&2; exit 1
}
