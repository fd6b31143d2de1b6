"""Search text made safe for the engines, and highlighted snippets (pure)."""

from heard.insight.query import fts5_expression, parse_query, snippet, websearch_expression


def test_words_and_quoted_phrases_become_quoted_groups():
    q = parse_query('parking "waiting list" Parking')
    assert q.groups == (("waiting", "list"), ("parking",))
    assert fts5_expression(q) == '"waiting list" "parking"'
    assert websearch_expression(q) == '"waiting list" "parking"'
    assert websearch_expression(parse_query("parking or food")) == '"parking" "or" "food"'


def test_fts_syntax_typed_by_a_user_is_not_passed_through():
    q = parse_query('parking* OR NEAR(a b) text:"x" -car ^start "unbalanced')
    expr = fts5_expression(q)
    # Only quoted words: no operators, column filters, prefixes or stray quotes survive.
    for token in expr.split('" "'):
        assert set(token.strip('"')) <= set("abcdefghijklmnopqrstuvwxyz0123456789_ ")
    assert expr.count('"') % 2 == 0
    assert not parse_query('"" * - ( )')


def test_snippet_escapes_html_and_marks_matches():
    text = "I waited <script>alert(1)</script> & the waiting room was cold"
    html = snippet(text, ["waiting"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>waited</mark>" in html and "<mark>waiting</mark>" in html


def test_snippet_centres_on_a_late_match():
    text = "word " * 200 + "parking is impossible"
    html = snippet(text, ["parking"], size=120)
    assert html.startswith("… ")
    assert "<mark>parking</mark>" in html
