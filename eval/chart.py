"""The report's PNG: grouped bars of the headline rates (matplotlib, Agg backend, no display)."""

from __future__ import annotations

from pathlib import Path

from eval.summary import LABELS, Summary

CHART_METRICS = ("hits10", "mrr10", "strict", "lenient", "citation_recall", "refusal_recall")


def bar_chart(groups: dict[str, Summary], title: str, path: Path) -> Path | None:
    """One cluster per group (question type or configuration), one bar per metric that has values.
    Returns None (and writes nothing) when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    metrics = [m for m in CHART_METRICS if any(s[m] is not None for s in groups.values())]
    names = list(groups)
    width = 0.8 / max(1, len(metrics))
    figure, axes = plt.subplots(figsize=(max(6.5, 1.4 * len(names) + 2), 4.6), dpi=110)
    for i, metric in enumerate(metrics):
        values = [float(groups[n][metric] or 0.0) for n in names]
        positions = [g + (i - (len(metrics) - 1) / 2) * width for g in range(len(names))]
        axes.bar(positions, values, width, label=LABELS[metric])
    axes.set_xticks(range(len(names)))
    axes.set_xticklabels([f"{n}\n(n={groups[n]['n']})" for n in names], fontsize=8)
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("share")
    axes.set_title(title, fontsize=10)
    axes.grid(axis="y", alpha=0.3)
    # Below the axes: above them it would hide the bars that reach 1.0.
    axes.legend(
        fontsize=7, ncols=min(6, max(1, len(metrics))), loc="upper center",
        bbox_to_anchor=(0.5, -0.16), frameon=False,
    )  # fmt: skip
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
    return path
