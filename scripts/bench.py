"""Benchmark: validate, compute and build synthetic periods of growing size.

    python scripts/bench.py                 # N = 0 (the sample), 100, 500, 1000, 2000
    python scripts/bench.py --sizes 1000    # one size
    python scripts/bench.py --sizes 1000 2000 --profile /tmp/prof
        # also cProfile each deck build into /tmp/prof/deck-N.prof, to compare two sizes function
        # by function (python -m pstats); the deck's times then include the profiler's overhead

The deck and the Word report are both built and timed.  Each size N is a synthetic period with N roadmap projects (every one with a detail sheet and a
plan/actual grid) and N indicators (10 per KPI, so N/10 KPIs and doughnut charts).  Every run
is a fresh interpreter, so the figures include nothing cached; "import" is the interpreter and
library start-up, measured separately, and the other columns exclude it.  Peak memory is the
child process's maximum resident set size.  The deck's CPU time is measured too: on a shared
machine the wall time of a large deck varies with what else runs, its CPU time much less.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs" / "fy2024-h1"

CHILD = r"""
import cProfile, json, resource, sys, time
t0 = time.perf_counter()
from pathlib import Path
from aomori_dx.validate import validate_period
from aomori_dx.compute import compute
from aomori_dx.render.deck import build_deck
from aomori_dx.render.report import build_report
t1 = time.perf_counter()
data, report = validate_period(Path(sys.argv[1]))
assert data is not None, [i.message for i in report.errors][:5]
t2 = time.perf_counter()
result = compute(data)
profile = cProfile.Profile() if len(sys.argv) > 2 else None
t3, c3 = time.perf_counter(), time.process_time()
if profile:
    profile.enable()
deck = build_deck(result)
if profile:
    profile.disable()
    profile.dump_stats(sys.argv[2])
t4, c4 = time.perf_counter(), time.process_time()
report = build_report(result)
t5 = time.perf_counter()
print(json.dumps({
    "import": t1 - t0, "validate": t2 - t1, "compute": t3 - t2, "deck": t4 - t3, "deck_cpu": c4 - c3, "report": t5 - t4,
    "deck_bytes": len(deck), "report_bytes": len(report),
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""

FIELDS = ("産業・しごと分野", "暮らし・まち分野", "行政経営分野")


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def synthesize(target: Path, n: int) -> None:
    """A period with ``n`` projects (all with sheets and grids) and ``n`` indicators."""
    shutil.copytree(SAMPLE, target)
    kpi_count = max(1, n // 10)
    kpis = [
        [f"K{i + 1}", FIELDS[i % 3], f"合成KPI {i + 1} の推進状況", "合成の構成要素など", ""]
        for i in range(kpi_count)
    ]
    _write(target / "kpis.csv", ["id", "field", "name", "components", "rate_published"], kpis)
    indicators = []
    for i in range(n):
        kpi = f"K{i % kpi_count + 1}"
        indicators.append(
            [kpi, f"合成中間指標 {i + 1}（デジタル化の取組件数）", "件", f"{100 + i:,}", str(i % 90), "R4年度",
             str(i % 120), "R5年度", "合成データの出所（〇〇部〇〇課調べ）", "", "", ""]
        )  # fmt: skip
    _write(
        target / "indicators.csv",
        ["kpi", "name", "unit", "target", "previous", "previous_period", "latest", "latest_period", "source", "note",
         "previous_rate_published", "latest_rate_published"],
        indicators,
    )  # fmt: skip
    projects, activities = [], []
    for i in range(1, n + 1):
        field = FIELDS[i * 3 // (n + 1)]
        projects.append(
            [i, field, f"項目{(i // 7) % 9 + 1}", f"合成事業 {i} デジタル推進事業", "合成部", f"合成課{i % 13}",
             f"{1000 + i * 37:,}", "", "R6", "R10", "合成事業の概要。県内のデジタル化を進めるための取組を行う。",
             i if i <= n else "", ""]
        )  # fmt: skip
        for activity in ("システム構築・運用", "推進体制の構築"):
            activities.append([i, activity, "計画", "R6", "R10", "構築 → 運用"])
            activities.append([i, activity, "実績", "R6", "R6", "構築"])
    _write(
        target / "projects.csv",
        ["no", "field", "category", "name", "department", "division", "budget", "budget_original", "start", "end",
         "summary", "featured", "reference"],
        projects,
    )  # fmt: skip
    _write(target / "activities.csv", ["project", "activity", "kind", "from", "to", "text"], activities)
    sheets = target / "projects"
    shutil.rmtree(sheets)
    sheets.mkdir()
    for i in range(1, n + 1):
        (sheets / f"{i}.md").write_text(
            "## 事業概要\n\n- 合成事業の概要を説明する箇条書き。\n\n## 取組状況\n\n- 取組の状況その1。\n- 取組の状況その2。\n\n"
            "## 実績\n\n| 月 | 件数 |\n|---|---|\n| 6月 | 9件 |\n| 7月 | 7件 |\n",
            encoding="utf-8",
        )


def run(period: Path, profile: Path | None = None) -> dict[str, float]:
    command = [sys.executable, "-c", CHILD, str(period)] + ([str(profile)] if profile else [])
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[0, 100, 500, 1000, 2000])
    parser.add_argument(
        "--profile", type=Path, help="write cProfile stats of each deck build here (deck-N.prof)"
    )
    args = parser.parse_args()
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    print(
        f"{'N':>6} {'import s':>9} {'validate s':>11} {'compute s':>10} {'deck s':>8} {'report s':>9} "
        f"{'deck MB':>8} {'report MB':>10} {'peak MB':>8}"
    )
    results = {}
    with tempfile.TemporaryDirectory() as work:
        for n in args.sizes:
            period = SAMPLE if n == 0 else Path(work) / f"n{n}"
            if n:
                synthesize(period, n)
            started = time.perf_counter()
            figures = run(period, args.profile / f"deck-{n}.prof" if args.profile else None)
            results[n] = figures
            label = "sample" if n == 0 else str(n)
            print(
                f"{label:>6} {figures['import']:9.2f} {figures['validate']:11.2f} {figures['compute']:10.2f} "
                f"{figures['deck']:8.2f} {figures['report']:9.2f} {figures['deck_bytes'] / 1e6:8.1f} "
                f"{figures['report_bytes'] / 1e6:10.1f} {figures['rss_mb']:8.0f}"
                f"   (wall {time.perf_counter() - started:.1f} s)",
                flush=True,
            )
    if 1000 in results and 2000 in results:
        for kind in ("deck", "report"):
            ratio = results[2000][kind] / results[1000][kind]
            print(f"{kind} time 2000 / 1000 = {ratio:.2f}")
        cpu = results[2000]["deck_cpu"] / results[1000]["deck_cpu"]
        print(
            f"deck CPU time 2000 / 1000 = {cpu:.2f} ({results[1000]['deck_cpu']:.2f} → {results[2000]['deck_cpu']:.2f} s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
