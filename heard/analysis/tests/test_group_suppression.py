"""Themes × respondent group: suppression in the table's own shape (no database)."""

from heard.analysis.selectors import group_table_figures


def test_a_small_group_shows_no_theme_counts_not_even_zeros():
    # 3 people in the second group: none of its theme counts is shown, zeros included
    respondents, rows = group_table_figures(
        [40, 3, 27], [[20, 0, 15], [12, 2, 0]], [35, 14], 70, 10, everyone_has_a_group=True
    )
    assert str(respondents[1]) == "fewer than 10"
    assert all(row[1].hidden for row in rows)
    assert str(rows[0][1]) == "suppressed"  # a zero, hidden with its group
    # the second theme's 2 + 0 + 12 = 14 is published: one more of its cells goes
    assert sum(f.hidden for f in rows[1]) >= 2
    # 40 + 3 + 27 = 70 answers (published): a second group count is hidden with the 3
    assert sum(f.hidden for f in respondents) >= 2


def test_everything_large_is_shown():
    respondents, rows = group_table_figures(
        [40, 30], [[20, 15]], [35], 70, 10, everyone_has_a_group=True
    )
    assert [str(f) for f in respondents] == ["40", "30"]
    assert [str(f) for f in rows[0]] == ["20", "15"]


def test_an_equality_question_not_everyone_answered_needs_less():
    # 12 women, 3 men of 30 answers: the rest gave no answer, so 12 can show
    respondents, _ = group_table_figures(
        [12, 3], [[10, 1]], [20], 30, 10, everyone_has_a_group=False
    )
    assert [str(f) for f in respondents] == ["12", "fewer than 10"]
