"""Reads bench/stream's output (a markdown table of rates, then "max sustained rate measured: N
pins/s", then the job's own per-micro-batch table) and prints one JSON line:
max_sustained_pins_per_s and, per steady rate, p50/p99 in ms.

Only the latency table is read: the job's table also starts each row with a rate, but its columns are
batch phases, not ack-to-row latencies.

    python parse_stream.py stream-output.log
"""
import json
import re
import sys

result = {}
in_latency_table = False
for line in open(sys.argv[1], encoding="utf-8"):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if line.startswith("|") and cells[0].startswith("rate"):
        in_latency_table = len(cells) > 5 and cells[4] == "p50 ms" and cells[5] == "p99 ms"
        continue
    if not line.startswith("|"):
        in_latency_table = False
    if in_latency_table and len(cells) >= 6 and cells[0].isdigit():
        rate = int(cells[0])
        result.setdefault("rates", {})[rate] = {"achieved": float(cells[1]), "p50_ms": float(cells[4]),
                                                 "p99_ms": float(cells[5]), "sustained": cells[-1] == "yes"}
    m = re.search(r"max sustained rate measured: (\d+)", line)
    if m:
        result["max_sustained_pins_per_s"] = int(m.group(1))
print(json.dumps(result))
