"""Turns one bench run's measurements into the table (stdout), bench/results/<date>.md and a PNG chart.

Input: a TSV of measurements written by bench/run, one per line:
    stage <TAB> metric <TAB> unit <TAB> side (pinpipe|peer) <TAB> value <TAB> command
metric names end with " ↑" (higher is better) or " ↓" (lower is better). A value "-" means not
measured; the command column then says why.

    python report.py --measurements m.tsv --title "..." --notes notes.md --md out.md --png out.png
"""
import argparse
import collections

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the headless backend)


def load(path):
    rows = collections.OrderedDict()
    commands = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            stage, metric, unit, side, value, command = line.rstrip("\n").split("\t")
            key = (stage, metric, unit)
            rows.setdefault(key, {})[side] = None if value == "-" else float(value)
            if command:
                commands.append((stage, side, command, value == "-"))
    return rows, commands


# the targets: pinpipe ÷ peer, keyed by (stage, start of the metric's name)
TARGETS = {("ingest", "single-pin req/s"): 10, ("archive", "pins/s"): 100, ("batch", "read + seven rules"): 5,
           ("batch", "seven rules alone"): 5}


def advantage(metric, sides):
    """How many times better pinpipe is (> 1 = better), whichever way the metric points."""
    p, s = sides.get("pinpipe"), sides.get("peer")
    if not p or not s:
        return None
    return p / s if metric.endswith("↑") else s / p


def fmt(value):
    if value is None:
        return "not measured"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if value < 10 else f"{value:,.1f}"


def ratio(metric, sides):
    a = advantage(metric, sides)
    return f"{a:,.2f}×" if a is not None else "—"


def table(rows):
    lines = ["| stage | metric | pinpipe | seed peer | ratio (× better: ↑ pinpipe ÷ peer, ↓ peer ÷ pinpipe) |", "|---|---|---:|---:|---:|"]
    for (stage, metric, unit), sides in rows.items():
        peer = fmt(sides["peer"]) if "peer" in sides else "— (no peer)"
        lines.append(f"| {stage} | {metric} [{unit}] | {fmt(sides.get('pinpipe'))} | {peer} | {ratio(metric, sides)} |")
    return "\n".join(lines)


def chart(rows, title, png):
    compared = [(k, v, advantage(k[1], v)) for k, v in rows.items()]
    compared = [c for c in compared if c[2] is not None]
    alone = [(k, v["pinpipe"]) for k, v in rows.items() if "peer" not in v and v.get("pinpipe") is not None]
    if not compared and not alone:
        return
    height = 1.6 + 0.55 * len(compared) + 0.22 * len(alone)
    fig, ax = plt.subplots(figsize=(11, height))
    if compared:
        names = [f"{stage}: {metric[:-2]}" for (stage, metric, unit), _, _ in compared]
        values = [a for _, _, a in compared]
        ys = list(range(len(compared)))
        ax.barh(ys, values, height=0.6, color=["#c8102e" if a >= 1 else "#7a7a7a" for a in values])
        for y, ((stage, metric, unit), sides, a) in zip(ys, compared):
            target = next((t for (st, prefix), t in TARGETS.items() if st == stage and metric.startswith(prefix)), None)
            ax.text(max(a, 1, target or 0) * 1.05, y, f"  {a:,.1f}×   ({fmt(sides['pinpipe'])} vs {fmt(sides['peer'])} {unit})",
                    va="center", fontsize=8)
            if target:
                ax.plot([target, target], [y - 0.4, y + 0.4], color="black", linewidth=2)
        ax.set_yticks(ys, names, fontsize=9)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.axvline(1, color="black", linewidth=0.8, linestyle=":")
        ax.set_xlim(min(0.5, min(values) / 2), max(1000, max(values) * 20))
        ax.set_xlabel("× better than the seed's stack (log scale; dotted: equal; black tick: the issue's target)", fontsize=9)
    else:
        ax.axis("off")
    if alone:
        text = "pinpipe only (no peer): " + "; ".join(f"{stage} {metric[:-2]} {fmt(v)} {unit}" for (stage, metric, unit), v in alone)
        fig.text(0.01, 0.01, text, fontsize=8, wrap=True)
    ax.set_title(title, fontsize=11)
    fig.tight_layout(rect=(0, 0.06 if alone else 0, 1, 1))
    fig.savefig(png, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measurements", required=True)
    parser.add_argument("--title", required=True)
    parser.add_argument("--notes", help="markdown appended after the table (machine, commands, remarks)")
    parser.add_argument("--md", required=True)
    parser.add_argument("--png", required=True)
    args = parser.parse_args()
    rows, commands = load(args.measurements)
    text = table(rows)
    print(text)
    chart(rows, args.title, args.png)
    with open(args.md, "w", encoding="utf-8") as md:
        md.write(f"# {args.title}\n\n![chart]({args.png.rsplit('/', 1)[-1]})\n\n{text}\n\n")
        md.write("## Commands\n\n")
        for stage, side, command, skipped in commands:
            md.write(f"- {stage}, {side}{' (not measured)' if skipped else ''}: `{command}`\n")
        if args.notes:
            with open(args.notes, encoding="utf-8") as notes:
                md.write("\n" + notes.read())


if __name__ == "__main__":
    main()
