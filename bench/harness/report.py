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


def fmt(value):
    if value is None:
        return "not measured"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if value < 10 else f"{value:,.1f}"


def ratio(sides):
    p, s = sides.get("pinpipe"), sides.get("peer")
    return f"{p / s:,.2f}×" if p is not None and s else "—"


def table(rows):
    lines = ["| stage | metric | pinpipe | seed peer | ratio (pinpipe ÷ peer) |", "|---|---|---:|---:|---:|"]
    for (stage, metric, unit), sides in rows.items():
        peer = fmt(sides["peer"]) if "peer" in sides else "— (no peer)"
        lines.append(f"| {stage} | {metric} [{unit}] | {fmt(sides.get('pinpipe'))} | {peer} | {ratio(sides)} |")
    return "\n".join(lines)


def chart(rows, title, png):
    measured = [(k, v) for k, v in rows.items() if any(x is not None for x in v.values())]
    up = [(k, v) for k, v in measured if k[1].endswith("↑")]
    down = [(k, v) for k, v in measured if k[1].endswith("↓")]
    panels = [p for p in ((up, "throughput (higher is better, log scale)"), (down, "latency (lower is better, log scale)")) if p[0]]
    if not panels:
        return
    fig, axes = plt.subplots(len(panels), 1, figsize=(10, 1.2 + 0.75 * sum(len(p[0]) for p in panels) + 0.6 * len(panels)),
                             squeeze=False)
    for ax, (items, label) in zip(axes[:, 0], panels):
        names = [f"{stage}: {metric[:-2]} [{unit}]" for (stage, metric, unit), _ in items]
        ys = range(len(items))
        for offset, side, color in ((-0.2, "pinpipe", "#c8102e"), (0.2, "peer", "#7a7a7a")):
            values = [v.get(side) or 0 for _, v in items]
            bars = ax.barh([y + offset for y in ys], values, height=0.38, color=color,
                           label="pinpipe" if side == "pinpipe" else "seed peer (Python)")
            for bar, value in zip(bars, values):
                if value:
                    ax.text(value, bar.get_y() + bar.get_height() / 2, " " + fmt(value), va="center", fontsize=8)
        ax.set_yticks(list(ys), names, fontsize=9)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.set_title(label, fontsize=10)
        ax.legend(fontsize=8, loc="lower right")
        ax.margins(x=0.25)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
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
