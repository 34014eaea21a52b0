"""Two checkouts' `pages_cpu.py` alternately, several rounds, on the same demo database: the median CPU ms per
request of each page and its ratio to the signed-in bare view, before beside after (issue 15).

    CUNSHE_SQLITE_PATH=/tmp/prof.sqlite3 .venv/bin/python bench/pages_cpu_ab.py --before /tmp/base --rounds 3 \
        --label "s13 navigation once per roles"

`--before` is a copy of the older tree (e.g. `git archive BASE | tar -x -C /tmp/base`); the tree this script is in
is "after". Alternating the two in the same minutes keeps the neighbours' load out of the comparison as far as
that is possible on a shared machine. Each run's rows go to bench/results/pages_cpu.jsonl."""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._env import PROJECT_DIR, RESULTS_DIR, code_version, emit, machine

ROW = re.compile(r"^# (.+?)\s+(\d+\.\d+)\s+(\d+\.\d+)\s+(\d+)\s+(\d+\.\d+)$")


def run(tree: Path, requests: int) -> dict[str, tuple[float, int]]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, str(tree / "bench" / "pages_cpu.py"), "--requests", str(requests)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = {}
    for line in out.splitlines():
        if m := ROW.match(line):
            rows[m.group(1)] = (float(m.group(2)), int(m.group(4)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="the older tree")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    if not os.environ.get("CUNSHE_SQLITE_PATH"):
        parser.error("set CUNSHE_SQLITE_PATH to a copy of a demo database (pages.py --demo-copy)")
    trees = {"before": Path(args.before).resolve(), "after": PROJECT_DIR}
    runs: dict[str, list[dict[str, tuple[float, int]]]] = {"before": [], "after": []}
    loads = []
    for _ in range(args.rounds):
        for side, tree in trees.items():
            runs[side].append(run(tree, args.requests))
            loads.append(os.getloadavg()[0])
    common = {
        "bench": "pages_cpu",
        "label": args.label,
        "rounds": args.rounds,
        "requests": args.requests,
        "load": round(statistics.mean(loads), 2),
        "code": code_version("cunshe/web/navigation.py", "cunshe/commitments/views.py"),
        "machine": machine(),
    }
    jsonl = RESULTS_DIR / "pages_cpu.jsonl"
    median = {side: {t: statistics.median(r[t][0] for r in rs) for t in rs[0]} for side, rs in runs.items()}
    print(f"# {'target':<28} {'before ms':>9} {'ratio':>6} {'after ms':>9} {'ratio':>6} {'q b/a':>7}")
    for target in median["after"]:
        b, a = median["before"].get(target), median["after"][target]
        bare_b, bare_a = median["before"]["bare signed-in"], median["after"]["bare signed-in"]
        record = {
            **common,
            "target": target,
            "before_cpu_ms": round(b, 2) if b else None,
            "before_ratio": round(bare_b / b, 3) if b else None,
            "after_cpu_ms": round(a, 2),
            "after_ratio": round(bare_a / a, 3),
            "before_queries": runs["before"][0].get(target, (0, 0))[1],
            "after_queries": runs["after"][0][target][1],
        }
        human = (
            f"# {target:<28} {b or 0:>9.2f} {record['before_ratio'] or 0:>6.2f} {a:>9.2f} {record['after_ratio']:>6.2f}"
            f" {record['before_queries']:>3}/{record['after_queries']:<3}"
        )
        emit(record, human, jsonl)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
