"""The small-count rule, and that no hidden count can be worked out from what is shown and the totals."""

import random

import pytest

from apps.reports.suppression import (
    COMPLEMENTARY,
    SHOWN,
    SMALL,
    WITHHELD,
    protect_column,
    protect_share,
    protect_total,
)


def statuses(cells):
    return [c.status for c in cells]


def feasible_values(cells, total: int, index: int) -> set[int]:
    """Every value the cell at ``index`` could have, for a reader who sees the cells and the total.

    The reader knows: a shown cell exactly; a "<5" cell is 1..4; a "hidden" cell is at least 5; the column adds
    up to ``total``.
    """
    shown = sum(c.value for c in cells if c.status == SHOWN)
    others_small = sum(1 for i, c in enumerate(cells) if c.status == SMALL and i != index)
    others_hidden = sum(1 for i, c in enumerate(cells) if c.status == COMPLEMENTARY and i != index)
    rest_min = others_small + 5 * others_hidden
    rest_max = 4 * others_small if not others_hidden else total
    low, high = (1, 4) if cells[index].status == SMALL else (5, total)
    return {v for v in range(low, high + 1) if rest_min <= total - shown - v <= rest_max}


def test_counts_from_one_to_four_read_less_than_five_and_others_are_shown():
    cells, total = protect_column([0, 1, 4, 5, 12])
    assert [c.display for c in cells] == ["0", "<5", "<5", "5", "12"]
    assert [c.value for c in cells] == [0, None, None, 5, 12]
    assert total is None


def test_a_small_cell_in_a_column_with_a_total_also_hides_the_next_smallest_cell():
    cells, total = protect_column([12, 9, 3], total=24)
    assert statuses(cells) == [SHOWN, COMPLEMENTARY, SMALL]
    assert [c.display for c in cells] == ["12", "hidden", "<5"]
    assert total.display == "24"


def test_complementary_cells_are_added_until_the_small_one_keeps_its_whole_range():
    # 6 alone leaves a margin of 1 (the small cell could only be 1 or 2 given the total); 7 more gives 3.
    cells, _total = protect_column([3, 6, 7, 8], total=24)
    assert statuses(cells) == [SMALL, COMPLEMENTARY, COMPLEMENTARY, SHOWN]
    assert feasible_values(cells, 24, 0) == {1, 2, 3, 4}


def test_a_column_that_cannot_be_protected_is_withheld_with_its_total():
    cells, total = protect_column([1, 5], total=6)
    assert statuses(cells) == [WITHHELD, WITHHELD]
    assert total.status == WITHHELD and total.value is None
    assert all(c.value is None for c in cells)


def test_a_small_population_is_withheld_entirely():
    cells, total = protect_column([2, 1], total=3)
    assert statuses(cells) == [WITHHELD, WITHHELD]


def test_a_small_headline_reads_less_than_five():
    assert protect_total(3).display == "<5"
    assert protect_total(0).display == "0"
    assert protect_total(7).display == "7"


def test_a_share_is_given_only_when_both_counts_are_shown():
    cells, total = protect_column([18, 6], total=24)
    assert protect_share(cells[0], total) == "75%"
    cells, total = protect_column([21, 3], total=24)
    assert protect_share(cells[0], total) == ""


@pytest.mark.parametrize("seed", range(5))
def test_no_small_count_can_be_worked_out_from_the_shown_cells_and_the_total(seed):
    rng = random.Random(seed)
    checked = 0
    for _ in range(400):
        counts = [rng.choice([0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 12, 20, 40]) for _ in range(rng.randint(1, 8))]
        total = sum(counts)
        cells, total_cell = protect_column(counts, total=total)
        if total_cell.status == WITHHELD:
            assert all(c.status == WITHHELD and c.value is None for c in cells)
            continue
        assert total_cell.value == total or total_cell.display == "<5"
        for index, cell in enumerate(cells):
            if cell.status == SMALL:
                # Even knowing the exact total, the small cell can still be any of 1..4.
                assert feasible_values(cells, total, index) == {1, 2, 3, 4}, counts
                checked += 1
            if cell.status == SHOWN:
                assert cell.value == counts[index]
    assert checked > 50
