"""The benchmarks' shared percentile and targets (benchmarks/measure.py): one formula, and a missed target fails."""

from pathlib import Path

import pytest

from benchmarks.measure import Targets, p95, p95_label, percentile

ROOT = Path(__file__).resolve().parent.parent
# The benchmarks that share the helper (the outreach ones are measured elsewhere).
BENCHMARKS = ["bench_skills_search", "bench_matching", "bench_offices_scale", "bench_reports", "bench_load_portal"]


def test_p95_is_the_nearest_rank_and_the_maximum_below_twenty_runs():
    assert p95([float(i) for i in range(1, 101)]) == 95.0
    assert p95([float(i) for i in range(1, 21)]) == 19.0
    assert p95([3.0, 1.0, 2.0]) == 3.0  # 3 runs: the slowest
    assert p95([float(i) for i in range(1, 20)]) == 19.0  # 19 runs: still the slowest
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert p95_label(5) == "max of 5 (p95 needs 20 runs)" and p95_label(20) == "p95"
    with pytest.raises(ValueError):
        p95([])


def test_a_missed_target_makes_the_run_fail(capsys):
    targets = Targets()
    assert targets.at_most("page", 250, 300, " ms")
    assert targets.exit_code() == 0
    assert not targets.at_least("speed-up", 8.0, 10, "×")
    assert targets.exit_code() == 1
    out = capsys.readouterr().out
    assert "MISSED speed-up: 8.00× (target ≥ 10.00×)" in out and "1 of 2 MISSED" in out


def test_a_run_that_checked_no_target_fails_too():
    assert Targets().exit_code() == 1


@pytest.mark.parametrize("name", BENCHMARKS)
def test_each_benchmark_uses_the_shared_percentile_and_exits_with_its_targets(name):
    source = (ROOT / "benchmarks" / f"{name}.py").read_text()
    assert "from benchmarks.measure import" in source
    assert "def p95" not in source and "quantiles(" not in source and "0.95 *" not in source
    assert "return targets.exit_code()" in source
