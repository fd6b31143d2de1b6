"""Small-number suppression (heard.core.suppression): examples, then Hypothesis over random
tables checked by an independent solver (a mixed-integer programme in scipy) that plays a
reader who knows every shown figure, every total and what each label says."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from heard.core.suppression import (
    Figure,
    Line,
    Status,
    protect,
    suppress_line,
    suppress_table,
)

T = 10
BIG = 10**6


def reader_range(figures, lines, index, threshold, plain, remainders=()):
    """Smallest and largest value a reader can consistently give figure ``index``: integer
    programme over all figures, shown ones fixed, hidden ones bounded by their label."""
    n = len(figures)
    lo, hi = np.zeros(n), np.zeros(n)
    for i, f in enumerate(figures):
        if not f.hidden:
            lo[i] = hi[i] = f.value
        elif plain or (f.status is Status.SUPPRESSED and i in remainders):
            lo[i], hi[i] = 0, BIG
        elif f.status is Status.SMALL:
            lo[i], hi[i] = 1, threshold - 1
        else:
            lo[i], hi[i] = threshold, BIG
    a = np.zeros((len(lines), n))
    for k, line in enumerate(lines):
        for i in line.members:
            a[k, i] = 1
        a[k, line.total] = -1
    constraints = [LinearConstraint(a, 0, 0)] if lines else []
    out = []
    for direction in (1, -1):
        c = np.zeros(n)
        c[index] = direction
        res = milp(c, constraints=constraints, integrality=np.ones(n), bounds=Bounds(lo, hi))
        assert res.status == 0, "the published figures must be consistent"
        out.append(round(res.x[index]))
    return out[0], out[1]


def assert_nothing_recoverable(
    values, lines, figures, threshold, plain, exposed=(), fixed=(), remainders=()
):
    for i, f in enumerate(figures):
        assert f.value == values[i]
        if i in remainders:  # never shown, need no protection, but constrain the rest
            assert f.hidden
            continue
        if f.hidden and i in exposed:  # admitted: nothing more could be hidden
            low, high = reader_range(figures, lines, i, threshold, plain, remainders)
            assert low == high
        elif f.hidden:
            low, high = reader_range(figures, lines, i, threshold, plain, remainders)
            assert low <= f.value <= high
            assert low < high, f"figure {i} ({f.value}) can be worked out: {figures}"
        if 0 < f.value < threshold and i not in fixed:
            assert f.hidden, "every small count is hidden"


def table_lines(r, c):
    cells = r * c
    rt = list(range(cells, cells + r))
    ct = list(range(cells + r, cells + r + c))
    grand = cells + r + c
    lines = [Line(tuple(i * c + j for j in range(c)), rt[i]) for i in range(r)]
    lines += [Line(tuple(i * c + j for i in range(r)), ct[j]) for j in range(c)]
    lines += [Line(tuple(rt), grand), Line(tuple(ct), grand)]
    return lines


def flatten(t):
    return [f for row in t.cells for f in row] + t.row_totals + t.column_totals + [t.total]


# small counts are common in these tables, large ones too, zeros too
count = st.one_of(st.integers(0, 3), st.integers(1, 12), st.integers(10, 60))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(count, min_size=1, max_size=7), st.booleans())
def test_no_cell_of_a_line_can_be_recovered(counts, total_published):
    line = suppress_line(counts, T, total_published=total_published)
    figures = [*line.cells, line.total]
    values = [*counts, sum(counts)]
    lines = [Line(tuple(range(len(counts))), len(counts))]
    if total_published:
        assert not line.total.hidden
    if line.exposed:  # only a line of one cell whose total is published
        assert len(counts) == 1 and total_published
    assert_nothing_recoverable(
        values,
        lines,
        figures,
        T,
        line.plain,
        line.exposed,
        [len(counts)] if total_published else [],
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 4).flatmap(
        lambda c: st.lists(st.lists(count, min_size=c, max_size=c), min_size=1, max_size=4)
    ),
    st.integers(2, 12),
)
def test_no_cell_or_total_of_a_table_can_be_recovered(rows, threshold):
    table = suppress_table(rows, threshold)
    r, c = len(rows), len(rows[0])
    values = [v for row in rows for v in row]
    values += [sum(row) for row in rows] + [sum(row[j] for row in rows) for j in range(c)]
    values.append(sum(values[: r * c]))
    assert_nothing_recoverable(values, table_lines(r, c), flatten(table), threshold, table.plain)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(count, min_size=1, max_size=6), count)
def test_groups_who_answered_and_who_did_not(groups, not_answered):
    """The shape of the report's equality tables: groups add up to the number who answered,
    which with those who did not adds up to the number of responses (always published)."""
    answered = sum(groups)
    values = [*groups, answered, not_answered, answered + not_answered]
    k = len(groups)
    lines = [Line(tuple(range(k)), k), Line((k, k + 1), k + 2)]
    result = protect(values, lines, T, fixed=[k + 2], remainders=[k + 1])
    if result.exposed:  # only when nothing more can be hidden
        assert all(result.figures[i].hidden for i in range(k + 2))
    assert_nothing_recoverable(
        values, lines, result.figures, T, result.plain, result.exposed, [k + 2], [k + 1]
    )


def test_the_issue_example_four_answered_beside_zeros():
    # "4 respondents answered this equality question" beside zeros: White = 4 followed
    line = suppress_line([4, 0, 0, 0], T, total_published=False)
    assert line.cells[0].hidden and line.total.hidden
    low, high = reader_range([*line.cells, line.total], [Line((0, 1, 2, 3), 4)], 0, T, line.plain)
    assert low < high


def test_a_protecting_cell_is_labelled_suppressed_not_fewer_than():
    line = suppress_line([50, 3, 45, 60], T)
    labels = [str(f) for f in line.cells]
    assert labels == ["50", "fewer than 10", "suppressed", "60"]
    assert str(line.total) == "158"


def test_one_small_and_a_complement_of_exactly_the_threshold_is_not_enough():
    # 1 + 10 = 11 with 11 published: "fewer than 10" and "at least 10" give 1 and 10
    line = suppress_line([1, 10, 40], T)
    figures = [*line.cells, line.total]
    assert_nothing_recoverable([1, 10, 40, 51], [Line((0, 1, 2), 3)], figures, T, line.plain)
    assert sum(f.hidden for f in line.cells) >= 2


def test_two_small_cells_that_add_up_to_two_are_protected():
    line = suppress_line([1, 1, 30, 40], T)
    assert_nothing_recoverable(
        [1, 1, 30, 40, 72], [Line((0, 1, 2, 3), 4)], [*line.cells, line.total], T, line.plain
    )
    assert line.cells[2].hidden  # a third cell is hidden


def test_zero_is_shown_and_large_counts_untouched():
    line = suppress_line([0, 25, 30], T)
    assert [f.shown for f in line.cells] == [0, 25, 30]
    assert not line.any_protecting


def test_figure_share_is_withheld_when_hidden():
    assert Figure(5, Status.SMALL).share_of(100) is None
    assert Figure(20, Status.SHOWN).share_of(Figure(80, Status.SUPPRESSED)) is None
    assert Figure(20, Status.SHOWN).share_of(80) == 0.25


def test_refuses_negative_counts_and_bad_shapes():
    with pytest.raises(ValueError):
        suppress_line([3, -1], T)
    with pytest.raises(ValueError):
        suppress_table([[1, 2], [3]], T)
