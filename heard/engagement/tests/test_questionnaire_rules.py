"""The pure questionnaire rules: validation per question type, conditions, pages, import cells."""

from heard.engagement import questionnaire as qn
from heard.engagement.questionnaire import QuestionSpec


def spec(kind, **kw):
    return QuestionSpec(key=kw.pop("key", "q"), kind=kind, text=kw.pop("text", "Question"), **kw)


def test_required_and_optional():
    assert qn.clean_answer(spec(qn.SHORT_TEXT, required=True), "")[1] == (
        "Enter an answer to ‘Question’"
    )
    assert qn.clean_answer(spec(qn.SHORT_TEXT), "  ")[1] == ""
    assert qn.clean_answer(spec(qn.YES_NO, required=True), None)[1].startswith("Select")


def test_a_required_message_names_its_question_cut_short_at_a_word():
    long = "Thinking about the last time you or someone you care for needed help in the evening, what happened?"
    message = qn.clean_answer(spec(qn.YES_NO, required=True, text=long), None)[1]
    assert message == (
        "Select an answer to ‘Thinking about the last time you or someone you care for needed help in the…’"
    )
    assert qn.clean_answer(spec(qn.DATE, required=True, text="When was it?"), "")[1] == (
        "Enter a date for ‘When was it’, like 27 3 2024"
    )


def test_long_text_limit_says_how_long_it_is():
    _, error = qn.clean_answer(spec(qn.LONG_TEXT, max_length=10), "x" * 12)
    assert error == "Your answer must be 10 characters or fewer – it is 12 characters now"
    cleaned, error = qn.clean_answer(spec(qn.LONG_TEXT, max_length=10), " fine ")
    assert error == "" and cleaned.text == "fine" and cleaned.value is None


def test_choices_must_be_offered():
    s = spec(qn.SINGLE_CHOICE, options=[("a", "A"), ("b", "B")])
    assert qn.clean_answer(s, "c")[1] == "Choose one of the options shown"
    assert qn.clean_answer(s, "a")[0].value == "a"
    m = spec(qn.MULTIPLE_CHOICE, options=[("a", "A"), ("b", "B")], required=True)
    assert qn.clean_answer(m, [])[1] == "Select at least one answer"
    assert qn.clean_answer(m, ["b", "a", "b"])[0].value == ["b", "a"]
    assert qn.clean_answer(spec(qn.LIKERT), "agree")[0].value == "agree"


def test_ranking_needs_different_numbers():
    r = spec(qn.RANKING, options=[("a", "A"), ("b", "B"), ("c", "C")])
    assert qn.clean_answer(r, ["2:a", "1:b"])[0].value == ["b", "a"]
    assert qn.clean_answer(r, ["1:a", "1:b"])[1] == "Give each option a different number"
    assert qn.clean_answer(r, ["1:z"])[1] == "Use the numbers shown to rank the options"


def test_number_date_postcode():
    n = spec(qn.NUMBER, min_value=0, max_value=10)
    assert qn.clean_answer(n, "1,0")[0].value == 10
    assert qn.clean_answer(n, "11")[1] == "Enter a number that is 10 or less"
    assert qn.clean_answer(n, "three")[1] == "Enter a whole number, like 3"
    assert qn.clean_answer(spec(qn.DATE), "27/3/2024")[0].value == "2024-03-27"
    assert qn.clean_answer(spec(qn.DATE), "31/2/2024")[1] == "Enter a real date, like 27 3 2024"
    assert qn.clean_answer(spec(qn.POSTCODE), "nr13sr")[0].value == "NR1 3SR"
    assert qn.clean_answer(spec(qn.POSTCODE), "nowhere")[1].startswith("Enter a full UK postcode")


def test_conditional_questions_are_validated_only_when_shown():
    trigger = spec(qn.YES_NO, key="used", required=True)
    follow = spec(
        qn.LONG_TEXT, key="why", required=True, show_if_key="used", show_if_values=["yes"]
    )
    assert qn.clean_page([trigger, follow], {"used": "no"}).errors == {}
    assert "why" in qn.clean_page([trigger, follow], {"used": "yes"}).errors
    assert not qn.is_visible(follow, {})


def test_respondent_type_needs_the_organisation_name():
    s = spec(qn.RESPONDENT_TYPE, key="as", required=True)
    result = qn.clean_page([s], {"as": "organisation"})
    assert result.errors == {"as__org": "Enter the name of the organisation"}
    result = qn.clean_page([s], {"as": "organisation", "as__org": "Age UK Norfolk"})
    assert result.answers["as"].value == "organisation"
    assert result.answers["as"].text == "Age UK Norfolk"


def test_equality_answers_keep_only_real_options():
    assert qn.clean_equality({"eq_age_band": "65_74", "eq_sex": "robot", "x": "y"}) == {
        "age_band": "65_74"
    }


def test_pages_skip_when_every_question_is_hidden():
    a = spec(qn.YES_NO, key="a", page=0)
    b = spec(qn.SHORT_TEXT, key="b", page=1, show_if_key="a", show_if_values=["yes"])
    c = spec(qn.SHORT_TEXT, key="c", page=2)
    assert qn.visible_pages([a, b, c], {"a": "no"}) == [0, 2]
    assert qn.visible_pages([a, b, c], {"a": "yes"}) == [0, 1, 2]


def test_conditions_must_point_backwards_to_offered_answers():
    a = spec(qn.YES_NO, key="a", text="Used it?")
    b = spec(qn.SHORT_TEXT, key="b", text="Why?", show_if_key="a", show_if_values=["maybe"])
    assert "does not offer" in qn.condition_problems([a, b])[0]
    assert "does not come before" in qn.condition_problems([b, a])[0]
    ok = spec(qn.SHORT_TEXT, key="b", show_if_key="a", show_if_values=["yes"])
    assert qn.condition_problems([a, ok]) == []


def test_versioning_rule():
    assert qn.needs_new_version(response_count=1)
    assert not qn.needs_new_version(response_count=0)


def test_messy_cells_from_paper_forms():
    m = spec(qn.MULTIPLE_CHOICE, options=[("time", "Time to talk"), ("same", "Same nurse")])
    assert qn.raw_from_cell(m, "time to talk; SAME NURSE") == ["time", "same"]
    assert qn.raw_from_cell(spec(qn.YES_NO), " Y ") == "yes"
    assert qn.raw_from_cell(spec(qn.LIKERT), "Strongly agree") == "strongly_agree"
    r = spec(qn.RANKING, options=[("a", "Alpha"), ("b", "Beta")])
    assert qn.raw_from_cell(r, "beta, alpha") == ["1:b", "2:a"]


def test_options_typed_one_per_line_get_stable_values():
    assert qn.parse_options("Time to talk\n\nSame nurse\nSame nurse") == [
        ("time_to_talk", "Time to talk"),
        ("same_nurse", "Same nurse"),
        ("same_nurse_2", "Same nurse"),
    ]


def test_page_count_is_fixed_only_when_no_whole_page_depends_on_an_answer():
    used = spec("yes_no", key="used", page=0)
    why = spec("long_text", key="why", page=1, show_if_key="used", show_if_values=["yes"])
    views = spec("long_text", key="views", page=1)
    end = spec("long_text", key="end", page=2)
    # A conditional question sharing a page with others: every respondent sees that page.
    assert qn.page_count_is_fixed([used, why, views, end])
    # A page holding only the conditional question comes and goes with the answer.
    alone = spec("long_text", key="why", page=1, show_if_key="used", show_if_values=["yes"])
    views2 = spec("long_text", key="views", page=2)
    assert not qn.page_count_is_fixed([used, alone, views2])
    assert qn.visible_pages([used, alone, views2], {"used": "no"}) == [0, 2]
    assert qn.visible_pages([used, alone, views2], {"used": "yes"}) == [0, 1, 2]
