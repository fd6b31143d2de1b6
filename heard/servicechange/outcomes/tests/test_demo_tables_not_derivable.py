"""Issue 14, "done when" 3: the demo's tables show no derivable cell.

The demo (members, and a consultation taken to a decision) is built through its loaders;
then every table the product renders from it that counts people – themes by respondent
group for each analysed question, the outcome report's channel, respondent-type and
equality tables, and the reach page's charts – is read as a reader would read it: the
figures shown, the totals published beside them or elsewhere (the number of responses,
of answers, of each theme, of members), and what each label says ("fewer than 10" is 1 to
9; "suppressed" is 10 or more, or anything when every hidden figure says only
"suppressed"). An integer programme written here, independently of heard.core.suppression
(scipy's milp), plays that reader and finds, for each hidden figure, the smallest and
largest value consistent with everything shown: none may be pinned down."""

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from heard.core.roles import Role
from heard.core.suppression import Figure, Status

pytestmark = pytest.mark.django_db

BIG = 10**6


class Reader:
    """What a reader knows of one table: variables (the figures, and counts never shown),
    and sums they know."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.truth: list[int] = []
        self.hidden: list[tuple[int, str]] = []
        self.sums: list[tuple[list[int], int]] = []
        self.limits: list[tuple[int, int]] = []

    def known(self, value: int) -> int:
        self.lo.append(value)
        self.hi.append(value)
        self.truth.append(value)
        return len(self.truth) - 1

    def unknown(self, value: int, upper: int = BIG) -> int:
        """A count never shown (those who gave no answer): anything from 0."""
        self.lo.append(0)
        self.hi.append(upper)
        self.truth.append(value)
        return len(self.truth) - 1

    def figure(
        self, f: Figure, what: str, *, plain: bool, upper: int = BIG, forced: bool = False
    ) -> int:
        """A figure as printed. ``forced``: a cell of a group whose size is hidden, hidden
        whatever its size (the page says so): anything from 0."""
        if not f.hidden:
            return self.known(f.value)
        if forced or plain:
            self.lo.append(0)
            self.hi.append(upper)
        elif f.status is Status.SMALL:
            self.lo.append(1)
            self.hi.append(min(self.threshold - 1, upper))
        else:
            # "suppressed" in a table that labels small counts "fewer than N": 10 or more
            assert f.value >= self.threshold, f"{what} ({f.value}) is labelled 'suppressed'"
            self.lo.append(self.threshold)
            self.hi.append(max(upper, self.threshold))
        self.truth.append(f.value)
        index = len(self.truth) - 1
        self.hidden.append((index, what))
        return index

    def at_most(self, small: int, large: int) -> None:
        """No more in ``small`` than in ``large`` (a theme raised by no more people than
        are in the group)."""
        self.limits.append((small, large))

    def adds_up(self, members: list[int], total: int) -> None:
        self.sums.append((members, total))

    def range_of(self, index: int) -> tuple[int, int]:
        n = len(self.truth)
        a = np.zeros((len(self.sums), n))
        for k, (members, total) in enumerate(self.sums):
            for i in members:
                a[k, i] += 1
            a[k, total] -= 1
        constraints = [LinearConstraint(a, 0, 0)] if self.sums else []
        if self.limits:
            b = np.zeros((len(self.limits), n))
            for k, (small, large) in enumerate(self.limits):
                b[k, small], b[k, large] = 1, -1
            constraints.append(LinearConstraint(b, -np.inf, 0))
        found = []
        for direction in (1, -1):
            c = np.zeros(n)
            c[index] = direction
            res = milp(
                c,
                constraints=constraints,
                integrality=np.ones(n),
                bounds=Bounds(np.array(self.lo), np.array(self.hi)),
            )
            assert res.status == 0, "what is shown must be consistent with the truth"
            found.append(round(res.x[index]))
        return found[0], found[1]

    def check(self, table: str) -> int:
        # the truth satisfies what the reader knows (the model of the page is right)
        for members, total in self.sums:
            assert sum(self.truth[i] for i in members) == self.truth[total], table
        for small, large in self.limits:
            assert self.truth[small] <= self.truth[large], table
        for index, what in self.hidden:
            low, high = self.range_of(index)
            assert low <= self.truth[index] <= high
            assert low < high, f"{table}: {what} can be worked out ({self.truth[index]})"
        return len(self.hidden)


def _plain(figures: list[Figure], threshold: int) -> bool:
    """Every hidden figure labelled "suppressed" alone (the page then says they may be
    anything): shown by a "suppressed" figure under the threshold (``figures``: those
    whose label speaks for their size, not cells hidden because their group is)."""
    return any(f.status is Status.SUPPRESSED and f.value < threshold for f in figures)


@pytest.fixture
def demo(make_staff, settings):
    from heard.demo import people as people_demo
    from heard.demo import service_change as outcomes_demo

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    for email, role in (
        ("admin@demo.heard.example", Role.ADMINISTRATOR),
        ("officer@demo.heard.example", Role.ENGAGEMENT_OFFICER),
        ("analyst@demo.heard.example", Role.ANALYST),
        ("lead@demo.heard.example", Role.PROGRAMME_LEAD),
        ("board@demo.heard.example", Role.DECISION_MAKER),
    ):
        make_staff(role, email=email)
    people_demo.load()
    outcomes_demo.load()
    return outcomes_demo.Proposal.objects.get(title=outcomes_demo.MIU_TITLE)


def test_no_cell_of_a_demo_table_can_be_worked_out(demo, client, make_staff) -> None:
    from django.conf import settings
    from django.urls import reverse

    from heard.analysis import selectors as analysis_selectors
    from heard.analysis.models import Codeframe
    from heard.engagement.models import Answer
    from heard.involvement import selectors as involvement_selectors
    from heard.servicechange.outcomes import selectors as outcome_selectors

    threshold = int(settings.HEARD_SMALL_NUMBER_THRESHOLD)
    checked_tables = 0
    hidden_checked = 0

    # 1. Themes by respondent group, for every analysed question of the demo.
    for codeframe in Codeframe.objects.select_related("question"):
        question = codeframe.question
        tables = analysis_selectors.themes_by_group(question)
        if not tables:
            continue
        rows = analysis_selectors.themes_with_counts(codeframe)
        theme_total = {r.theme.name: r.answers for r in rows}
        answers = (
            Answer.objects.filter(
                question_id__in=analysis_selectors.analysed_question_ids(question)
            )
            .exclude(text="")
            .values("response_id")
            .distinct()
            .count()
        )
        for table in tables:
            # cells of a group whose size is small are hidden whatever their size
            forced_columns = {j for j, f in enumerate(table.respondents) if f.small}
            labelled = [*table.respondents]
            labelled += [
                f for _, row in table.rows for j, f in enumerate(row) if j not in forced_columns
            ]
            plain = _plain(labelled, threshold)
            reader = Reader(threshold)
            total = reader.known(answers)  # "N answered this question": on the page
            groups = [
                reader.figure(f, f"{table.title}: {g} respondents", plain=plain)
                for g, f in zip(table.groups, table.respondents, strict=True)
            ]
            rest = answers - sum(f.value for f in table.respondents)
            assert rest >= 0
            members = [*groups, reader.unknown(rest)] if rest else groups
            reader.adds_up(members, total)
            for name, cells in table.rows:
                theme = reader.known(theme_total[name])  # each theme's count: on the page
                ids = []
                for j, (g, f) in enumerate(zip(table.groups, cells, strict=True)):
                    if j in forced_columns:
                        # no zeros (or any figure) shown beside a group too small to show
                        assert f.hidden, f"{table.title}: {name} × {g} shown beside a small group"
                    cell = reader.figure(
                        f, f"{table.title}: {name} × {g}", plain=plain, forced=j in forced_columns
                    )
                    reader.at_most(cell, groups[j])
                    ids.append(cell)
                left = theme_total[name] - sum(f.value for f in cells)
                reader.adds_up([*ids, reader.unknown(left)] if left else ids, theme)
            hidden_checked += reader.check(f"themes by group of {question.key}: {table.title}")
            checked_tables += 1
    assert checked_tables >= 3

    # 2. The outcome report: responses by channel and type, and the equality tables.
    report = outcome_selectors.report_for(demo)
    responses = report.total_responses
    for title, count_rows in (("channel", report.by_channel), ("type", report.by_type)):
        figures = [r.figure for r in count_rows]
        plain = _plain(figures, threshold)
        reader = Reader(threshold)
        total = reader.known(responses)
        ids = [reader.figure(r.figure, f"by {title}: {r.label}", plain=plain) for r in count_rows]
        rest = responses - sum(r.figure.value for r in count_rows)
        reader.adds_up([*ids, reader.unknown(rest)] if rest else ids, total)
        hidden_checked += reader.check(f"report by {title}")
        checked_tables += 1
    assert report.comparisons, "the demo's report compares respondents with the population"
    for comparison in report.comparisons:
        figures = [*[r[1] for r in comparison.rows], comparison.answered]
        plain = _plain(figures, threshold)
        reader = Reader(threshold)
        total = reader.known(responses)
        answered = reader.figure(comparison.answered, f"{comparison.title}: answered", plain=plain)
        ids = [
            reader.figure(figure, f"{comparison.title}: {label}", plain=plain)
            for label, figure, _, _ in comparison.rows
        ]
        rest = comparison.answered.value - sum(r[1].value for r in comparison.rows)
        reader.adds_up([*ids, reader.unknown(rest)] if rest else ids, answered)
        reader.adds_up([answered, reader.unknown(responses - comparison.answered.value)], total)
        hidden_checked += reader.check(f"report equality: {comparison.title}")
        checked_tables += 1

    # 3. The reach page's charts.
    from heard.people.models import Member

    active = Member.objects.filter(status=Member.Status.ACTIVE).count()
    charts = involvement_selectors.reach_charts(
        involvement_selectors.population_get(involvement_selectors.BUILT_IN_KEY)
    )
    assert charts
    for chart in charts:
        assert chart.known_figure is not None and chart.unknown_figure is not None
        figures = [
            *[r.figure for r in chart.rows if r.figure is not None],
            chart.known_figure,
            chart.unknown_figure,
        ]
        plain = _plain(figures, threshold)
        reader = Reader(threshold)
        total = reader.known(active)  # members: on the page
        known = reader.figure(chart.known_figure, f"{chart.title}: answered", plain=plain)
        unknown = reader.figure(chart.unknown_figure, f"{chart.title}: no answer", plain=plain)
        ids = []
        for row in chart.rows:
            assert row.figure is not None
            # a group flagged as under-represented is, the page says, below a share of
            # those who answered: the reader uses that too
            upper = BIG
            if row.under_represented and row.population_share and not chart.known_figure.hidden:
                upper = int(np.ceil(0.8 * row.population_share * chart.known)) - 1
            ids.append(
                reader.figure(
                    row.figure, f"{chart.title}: {row.category}", plain=plain, upper=upper
                )
            )
        reader.adds_up(ids, known)
        reader.adds_up([known, unknown], total)
        hidden_checked += reader.check(f"reach: {chart.title}")
        checked_tables += 1
    assert hidden_checked > 0, "the demo's tables hide something (so the check means something)"

    # The pages render the same figures (the labels the reader was given).
    client.force_login(make_staff(Role.ADMINISTRATOR))
    reach = client.get(reverse("involvement:reach")).content.decode()
    assert "fewer than" in reach or "suppressed" in reach
