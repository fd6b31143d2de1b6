"""The outcome report as a tagged PDF: the same template as the HTML page, laid out for
print (heard.core.pdf: PDF/UA-1, nothing fetched from the network)."""

from typing import Any

from django.template.loader import render_to_string

from heard.core.pdf import html_to_pdf


def report_html(context: dict[str, Any]) -> str:
    """The standalone document the PDF is made from."""
    return render_to_string("outcomes/report/document.html", context)


def report_pdf(context: dict[str, Any]) -> bytes:
    return html_to_pdf(report_html(context))


pdf_from_html = html_to_pdf
