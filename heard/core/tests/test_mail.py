"""Mail bodies: plain text is not HTML-escaped; the HTML part still is."""

from heard.core.mail import mail_render


def test_plain_text_mail_is_not_html_escaped(settings, tmp_path):
    (tmp_path / "t_subject.txt").write_text("Hello {{ name }}")
    (tmp_path / "t.txt").write_text(
        'Dear {{ name }}, fish & chips: {{ food }}{% include "t_part.txt" %}'
    )
    (tmp_path / "t_part.txt").write_text(" / {{ name }}")
    (tmp_path / "t.html").write_text("<p>{{ name }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    message = mail_render(
        to=["a@example.org"],
        template="t",
        context={"name": "O'Brien <Pat>", "food": "Fish & chips"},
    )
    assert message.subject == "Hello O'Brien <Pat>"
    assert message.body == "Dear O'Brien <Pat>, fish & chips: Fish & chips / O'Brien <Pat>"
    html = message.alternatives[0][0]
    assert html == "<p>O&#x27;Brien &lt;Pat&gt;</p>"
