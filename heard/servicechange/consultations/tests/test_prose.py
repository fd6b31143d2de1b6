from heard.servicechange.consultations.templatetags.consultation_prose import render_prose


def test_paragraphs_lists_and_escaping():
    text = "First <b>para</b>\nsecond line\n\n- one & two\n- three\nAfter\n\n\n"
    assert render_prose(text) == (
        "<p>First &lt;b&gt;para&lt;/b&gt;<br>second line</p>"
        "<ul><li>one &amp; two</li><li>three</li></ul><p>After</p>"
    )


def test_empty():
    assert render_prose("") == ""
    assert render_prose("\n\n  \n") == ""
