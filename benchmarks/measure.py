"""What every benchmark shares: one definition of a percentile, and targets that make the run fail when missed.

Percentiles use the nearest-rank method: the p-th percentile of n samples is the smallest sample that at least p %
of the samples do not exceed (``sorted(samples)[ceil(p/100 * n) - 1]``). It is always a measured value, never an
interpolation. With fewer than 20 samples the 95th percentile is the maximum (ceil(0.95 × 19) = 19): a benchmark
that prints "p95" over 3 to 19 runs prints its slowest run, and says so (``p95_label``).

A benchmark records each target it prints with :class:`Targets` and ends with ``sys.exit(targets.exit_code())``
(0 when every target is met, 1 otherwise), after printing the summary.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (0 < p ≤ 100) of ``samples`` by nearest rank."""
    if not samples:
        raise ValueError("no samples")
    if not 0 < p <= 100:
        raise ValueError("p must be in (0, 100]")
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def p95(samples: list[float]) -> float:
    return percentile(samples, 95)


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def p95_label(runs: int) -> str:
    """How to name the 95th percentile of ``runs`` samples in a printed table."""
    return "p95" if runs >= 20 else f"max of {runs} (p95 needs 20 runs)"


@dataclass
class Target:
    name: str
    value: float
    limit: float
    at_most: bool  # True: the value must not exceed the limit; False: it must reach it
    unit: str = ""

    @property
    def met(self) -> bool:
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    def line(self) -> str:
        sign = "≤" if self.at_most else "≥"
        return (
            f"{'met   ' if self.met else 'MISSED'} {self.name}: {self.value:,.2f}{self.unit} "
            f"(target {sign} {self.limit:,.2f}{self.unit})"
        )


@dataclass
class Targets:
    """The targets a benchmark checks; ``exit_code`` is non-zero when any is missed."""

    checked: list[Target] = field(default_factory=list)

    def at_most(self, name: str, value: float, limit: float, unit: str = "") -> bool:
        return self._add(Target(name, value, limit, at_most=True, unit=unit))

    def at_least(self, name: str, value: float, limit: float, unit: str = "") -> bool:
        return self._add(Target(name, value, limit, at_most=False, unit=unit))

    def _add(self, target: Target) -> bool:
        self.checked.append(target)
        print(target.line(), flush=True)
        return target.met

    @property
    def missed(self) -> list[Target]:
        return [t for t in self.checked if not t.met]

    def summary(self) -> str:
        if not self.checked:
            return "targets: none checked"
        if self.missed:
            return f"targets: {len(self.missed)} of {len(self.checked)} MISSED: " + "; ".join(
                t.name for t in self.missed
            )
        return f"targets: all {len(self.checked)} met"

    def exit_code(self) -> int:
        print(f"\n{self.summary()}", flush=True)
        return 1 if self.missed or not self.checked else 0
