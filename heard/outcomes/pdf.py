"""The outcome report as a tagged PDF (WeasyPrint): the same template as the HTML page,
laid out for print. PDF/UA-1 gives a tagged structure (headings, tables, lists), real
text, the document's language and title. Nothing is fetched from the network."""

from typing import Any

from django.template.loader import render_to_string


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"The outcome report fetches nothing ({url}).")


def report_html(context: dict[str, Any]) -> str:
    """The standalone document the PDF is made from."""
    return render_to_string("outcomes/report/document.html", context)


def report_pdf(context: dict[str, Any]) -> bytes:
    return pdf_from_html(report_html(context))


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # imported here: slow to import, needed only for the PDF

    result = HTML(string=html, url_fetcher=_no_fetch, base_url="/").write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )
    assert result is not None
    return bytes(result)
