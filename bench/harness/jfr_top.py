"""Summarises a Java Flight Recorder file's CPU samples (jdk.ExecutionSample): the hottest top frames,
and the share of samples with a given package anywhere on the stack. A profile, for saying what
limits a stage.

    python jfr_top.py recording.jfr [--top 15] [--within java.util.regex. org.apache.spark.unsafe.types.UTF8String]
"""
import argparse
import collections
import json
import subprocess


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jfr")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--thread", default="Executor task launch worker",
                        help="only samples of threads whose name contains this (Spark's task threads; '' for all)")
    parser.add_argument("--within", nargs="*", default=["java.util.regex.", "org.apache.spark.sql.catalyst.json.",
                                                         "com.fasterxml.jackson.", "org.apache.spark.sql.execution.python."])
    args = parser.parse_args()
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample", args.jfr],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    top = collections.Counter()
    within = collections.Counter()
    total = 0
    for event in events:
        frames = event["values"]["stackTrace"]["frames"] if event["values"].get("stackTrace") else []
        thread = (event["values"].get("sampledThread") or {}).get("javaName") or ""
        if not frames or args.thread not in thread:
            continue
        total += 1
        names = [f'{f["method"]["type"]["name"]}.{f["method"]["name"]}'.replace("/", ".") for f in frames]
        top[names[0]] += 1
        for prefix in args.within:
            if any(n.startswith(prefix) for n in names):
                within[prefix] += 1
    print(f"{total} CPU samples of threads named *{args.thread}*")
    for name, count in top.most_common(args.top):
        print(f"{100 * count / total:5.1f}%  {name}")
    for prefix in args.within:
        print(f"{100 * within[prefix] / max(total, 1):5.1f}%  of samples have {prefix}* on the stack")


if __name__ == "__main__":
    main()
