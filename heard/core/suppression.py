"""Small-number suppression that cannot be undone by arithmetic (pure: no Django).

One implementation for every table, chart and report that counts people. A published
table is a set of *figures* (cells and totals) tied together by *lines*: "these figures add
up to that one" (a row and its total, the groups and the number who answered, the number
who answered and those who did not and the number of responses). Suppression has two steps:

1. **Primary**: a count from 1 to ``threshold - 1`` is not shown ("fewer than 10"). Zero is
   shown: nobody is identified by nobody.
2. **Secondary (complementary)**: figures that are not small are hidden too ("suppressed")
   until no hidden figure can be worked out from what is shown. What a reader knows is
   modelled exactly: every shown figure, every line, and what each label says (a cell
   shown as "fewer than 10" lies in 1..9, one shown as "suppressed" is at least 10, or, when
   that is not enough to protect them, every hidden figure is labelled "suppressed" alone and
   may be anything from 0 up).

Whether a hidden figure can be worked out is decided exactly, not by a rule of thumb: the
lines of a table with margins form a network (each figure is in at most two lines), so the
values a reader could consistently put in the hidden figures are the feasible circulations
of a small graph, and a hidden figure is determined exactly when no cycle through it in the
residual graph can move it by one in either direction. The Hypothesis tests check this
against a linear programme (scipy) over random tables.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

INFINITY = 10**12  # no upper bound known to the reader


class Status(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # primary: 1..threshold-1, labelled "fewer than N"
    SUPPRESSED = "suppressed"  # hidden to protect others (or any hidden figure, in the plain mode)


@dataclass(frozen=True)
class Figure:
    """One published number: ``str(figure)`` is what a page or report prints."""

    value: int
    status: Status = Status.SHOWN
    threshold: int = 10

    @property
    def hidden(self) -> bool:
        return self.status is not Status.SHOWN

    @property
    def shown(self) -> int | None:
        """The number, or None when it is hidden."""
        return None if self.hidden else self.value

    @property
    def small(self) -> bool:
        return self.status is Status.SMALL

    @property
    def label(self) -> str:
        if self.status is Status.SMALL:
            return f"fewer than {self.threshold}"
        if self.status is Status.SUPPRESSED:
            return "suppressed"
        return str(self.value)

    def __str__(self) -> str:
        return self.label

    def share_of(self, total: Figure | int) -> float | None:
        """This figure as a share of ``total``, or None when either is hidden or zero."""
        denominator = total if isinstance(total, int) else total.shown
        if self.hidden or not denominator:
            return None
        return self.value / denominator


@dataclass(frozen=True)
class Line:
    """``members`` add up to ``total`` (indices into the figures of a problem). A line whose
    total is not published at all still constrains what a reader knows only if the total
    is a figure: leave such sums out, or give them as figures hidden with ``forced``."""

    members: tuple[int, ...]
    total: int


@dataclass
class Result:
    figures: list[Figure]
    # hidden figures a reader can still work out (empty unless nothing more could be
    # hidden, for example a one-cell line whose total must be shown)
    exposed: set[int] = field(default_factory=set)
    plain: bool = False  # every hidden figure labelled "suppressed" alone

    @property
    def any_hidden(self) -> bool:
        return any(f.hidden for f in self.figures)

    @property
    def any_protecting(self) -> bool:
        return any(f.status is Status.SUPPRESSED for f in self.figures)


def protect(
    values: Sequence[int],
    lines: Iterable[Line],
    threshold: int,
    *,
    fixed: Iterable[int] = (),
    forced: Iterable[int] = (),
    remainders: Iterable[int] = (),
    upper: dict[int, int] | None = None,
) -> Result:
    """Suppress ``values`` (non-negative counts) tied together by ``lines``.

    ``fixed``: figures that are published anyway (the number of responses on the front of a
    report): never hidden, and known to the reader. ``forced``: figures never shown whatever
    their size (the cells of a group whose size is hidden); they are labelled "suppressed".
    ``remainders``: figures that are never shown and need no protection themselves (those
    who gave no answer to an optional question), there because a reader knows they exist
    and take up the difference. ``upper``: upper bounds a reader knows from elsewhere
    (a theme cannot be raised by more people than are in the group)."""
    values = list(values)
    if any(v < 0 for v in values):
        raise ValueError("Counts cannot be negative.")
    if threshold < 1:
        raise ValueError("The threshold must be at least 1.")
    lines = list(lines)
    fixed_ids = set(fixed)
    rest = set(remainders) - fixed_ids
    forced_ids = (set(forced) | rest) - fixed_ids
    bounds_from_elsewhere = dict(upper or {})
    graph = _Graph(len(values), lines)
    primary = {i for i, v in enumerate(values) if 0 < v < threshold and i not in fixed_ids}
    for plain in (False, True):
        hidden = primary | forced_ids
        while True:
            bounds = _bounds(values, hidden, primary, forced_ids, threshold, plain)
            for i, cap in bounds_from_elsewhere.items():
                lo, hi = bounds.get(i, (values[i], values[i]))
                if i in bounds:
                    bounds[i] = (lo, min(hi, cap))
            exposed = {i for i in sorted(hidden - rest) if not graph.movable(i, values, bounds)}
            if not exposed:
                return Result(_figures(values, hidden, primary, threshold, plain), set(), plain)
            extra = _complement(min(exposed), graph, values, hidden, fixed_ids, plain)
            if extra is None:
                break
            hidden.add(extra)
        if plain:
            return Result(_figures(values, hidden, primary, threshold, plain), exposed, plain)
    raise AssertionError("unreachable")  # pragma: no cover


def _bounds(
    values: list[int],
    hidden: set[int],
    primary: set[int],
    forced: set[int],
    threshold: int,
    plain: bool,
) -> dict[int, tuple[int, int]]:
    """What a reader knows of each hidden figure from its label."""
    bounds: dict[int, tuple[int, int]] = {}
    for i in hidden:
        if plain:
            bounds[i] = (0, INFINITY)
        elif i in primary:  # labelled "fewer than N"
            bounds[i] = (1, threshold - 1)
        elif i in forced:  # never shown: could be anything
            bounds[i] = (0, INFINITY)
        else:  # not small, else it would say so
            bounds[i] = (threshold, INFINITY)
    return bounds


def _figures(
    values: list[int], hidden: set[int], primary: set[int], threshold: int, plain: bool
) -> list[Figure]:
    figures = []
    for i, v in enumerate(values):
        if i not in hidden:
            status = Status.SHOWN
        elif i in primary and not plain:
            status = Status.SMALL
        else:
            status = Status.SUPPRESSED
        figures.append(Figure(v, status, threshold))
    return figures


def _complement(
    target: int,
    graph: _Graph,
    values: list[int],
    hidden: set[int],
    fixed: set[int],
    plain: bool,
) -> int | None:
    """The next figure to hide so that ``target`` cannot be worked out: the smallest shown
    figure in a line with it (cells before totals), else the nearest one further off. In
    the labelled mode only figures that are not zero are hidden, since a hidden zero would
    be labelled "suppressed" (at least the threshold); in the plain mode zeros may go."""

    def eligible(i: int) -> bool:
        return i not in hidden and i not in fixed and (plain or values[i] > 0)

    seen_lines: set[int] = set()
    frontier = set(graph.lines_of[target])
    while frontier:
        ids = {i for line in frontier for i in graph.ids_of_line(line) if eligible(i)}
        if ids:
            return min(ids, key=lambda i: (graph.is_total[i], values[i], i))
        seen_lines |= frontier
        frontier = {
            other
            for line in frontier
            for i in graph.ids_of_line(line)
            for other in graph.lines_of[i]
            if other not in seen_lines
        }
    return None


class _Graph:
    """The lines as a network: a node per line (plus a ground node for figures in only one
    line); each figure an arc between the lines it is in, oriented so that every line reads
    "what flows in = what flows out"."""

    def __init__(self, size: int, lines: list[Line]) -> None:
        self.lines = lines
        self.lines_of: list[list[int]] = [[] for _ in range(size)]
        self.is_total = [False] * size
        coefficient: list[list[tuple[int, int]]] = [[] for _ in range(size)]
        for n, line in enumerate(lines):
            if line.total in line.members:
                raise ValueError("A line cannot contain its own total.")
            for i in line.members:
                coefficient[i].append((n, 1))
                self.lines_of[i].append(n)
            coefficient[line.total].append((n, -1))
            self.lines_of[line.total].append(n)
            self.is_total[line.total] = True
        if any(len(c) > 2 for c in coefficient):
            raise ValueError("A figure can be in at most two lines (a table with margins).")
        # orient the lines (multiply each by +1 or -1) so that a figure in two lines has
        # opposite signs in them: a two-colouring, possible for tables with margins
        sign: dict[int, int] = {}
        neighbours: list[list[tuple[int, int]]] = [[] for _ in lines]
        for c in coefficient:
            if len(c) == 2:
                (a, ca), (b, cb) = c
                neighbours[a].append((b, -ca * cb))  # sign[b] = -ca*cb*sign[a]
                neighbours[b].append((a, -ca * cb))
        for start in range(len(lines)):
            if start in sign:
                continue
            sign[start] = 1
            queue = deque([start])
            while queue:
                a = queue.popleft()
                for b, relation in neighbours[a]:
                    want = relation * sign[a]
                    if b not in sign:
                        sign[b] = want
                        queue.append(b)
                    elif sign[b] != want:
                        raise ValueError("These lines do not form a table with margins.")
        self.ground = len(lines)
        # arc of figure i: (tail, head); increasing i moves one unit from tail to head
        self.arc: list[tuple[int, int] | None] = []
        for c in coefficient:
            if not c:
                self.arc.append(None)
                continue
            ends = {sign[n] * co: n for n, co in c}
            self.arc.append((ends.get(-1, self.ground), ends.get(1, self.ground)))

    def ids_of_line(self, n: int) -> tuple[int, ...]:
        line = self.lines[n]
        return (*line.members, line.total)

    def movable(self, target: int, values: list[int], bounds: dict[int, tuple[int, int]]) -> bool:
        """Can a reader who knows the shown figures, the lines and the bounds of the hidden
        ones not tell the value of ``target``? (Some other consistent filling of the hidden
        figures gives it a different value.)"""
        lo, hi = bounds[target]
        arc = self.arc[target]
        if arc is None:
            return lo < hi
        residual: dict[int, list[int]] = {}
        for i, (b_lo, b_hi) in bounds.items():
            a = self.arc[i]
            if i == target or a is None:
                continue
            tail, head = a
            if values[i] < b_hi:
                residual.setdefault(tail, []).append(head)
            if values[i] > b_lo:
                residual.setdefault(head, []).append(tail)
        tail, head = arc
        if values[target] < hi and _reaches(residual, head, tail):
            return True
        return values[target] > lo and _reaches(residual, tail, head)


def _reaches(graph: dict[int, list[int]], start: int, goal: int) -> bool:
    if start == goal:
        return True
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in graph.get(queue.popleft(), ()):
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


# Shapes used by the pages and reports ----------------------------------------------------


@dataclass
class LineFigures:
    cells: list[Figure]
    total: Figure
    plain: bool = False
    # hidden cells a reader can still work out: only when nothing more can be hidden (a
    # line of one cell whose total is published)
    exposed: set[int] = field(default_factory=set)

    @property
    def any_protecting(self) -> bool:
        return any(f.status is Status.SUPPRESSED for f in [*self.cells, self.total])


def suppress_line(
    counts: Sequence[int], threshold: int, *, total_published: bool = True
) -> LineFigures:
    """Counts that add up to a total (shown beside them or anywhere else). With
    ``total_published`` the total is fixed (shown whatever its size); otherwise it is a
    figure like the others and hidden if small."""
    n = len(counts)
    total = sum(counts)
    result = protect(
        [*counts, total],
        [Line(tuple(range(n)), n)],
        threshold,
        fixed=[n] if total_published else [],
    )
    return LineFigures(result.figures[:n], result.figures[n], result.plain, result.exposed)


@dataclass
class TableFigures:
    cells: list[list[Figure]]
    row_totals: list[Figure]
    column_totals: list[Figure]
    total: Figure
    plain: bool = False

    @property
    def any_protecting(self) -> bool:
        everything = [f for row in self.cells for f in row]
        everything += [*self.row_totals, *self.column_totals, self.total]
        return any(f.status is Status.SUPPRESSED for f in everything)


def suppress_table(
    rows: Sequence[Sequence[int]],
    threshold: int,
    *,
    fixed_total: bool = False,
) -> TableFigures:
    """A two-way table with its row totals, column totals and grand total all published
    (hidden where they would give a cell away)."""
    r = len(rows)
    c = len(rows[0]) if rows else 0
    if any(len(row) != c for row in rows):
        raise ValueError("Every row needs the same number of cells.")
    values = [v for row in rows for v in row]
    row_total_ids = list(range(r * c, r * c + r))
    values += [sum(row) for row in rows]
    column_total_ids = list(range(r * c + r, r * c + r + c))
    values += [sum(row[j] for row in rows) for j in range(c)]
    grand = len(values)
    values.append(sum(sum(row) for row in rows))
    lines = [Line(tuple(i * c + j for j in range(c)), row_total_ids[i]) for i in range(r)]
    lines += [Line(tuple(i * c + j for i in range(r)), column_total_ids[j]) for j in range(c)]
    lines.append(Line(tuple(row_total_ids), grand))
    lines.append(Line(tuple(column_total_ids), grand))
    result = protect(values, lines, threshold, fixed=[grand] if fixed_total else [])
    f = result.figures
    return TableFigures(
        cells=[f[i * c : (i + 1) * c] for i in range(r)],
        row_totals=[f[i] for i in row_total_ids],
        column_totals=[f[i] for i in column_total_ids],
        total=f[grand],
        plain=result.plain,
    )


def shown_figures(values: Iterable[int], threshold: int) -> list[Figure]:
    """Figures that are all shown (no suppression needed: counts of things, not people)."""
    return [Figure(v, Status.SHOWN, threshold) for v in values]
