"""PDFs leave out the text that only screen readers hear on the web page."""

from io import BytesIO

from pypdf import PdfReader

from heard.core.pdf import html_to_pdf


def test_screen_reader_only_text_is_left_out_of_the_pdf():
    """Found in the consultation document's PDF: a stray "Information:" above the
    correction note (WeasyPrint ignores the clip that hides it on screen)."""
    html = (
        '<html lang="en"><head><title>T</title></head><body>'
        '<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span>'
        "<p>This document has been corrected.</p></div></body></html>"
    )
    text = PdfReader(BytesIO(html_to_pdf(html))).pages[0].extract_text()
    assert "This document has been corrected." in text
    assert "Information" not in text
