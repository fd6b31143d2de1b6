"""Documents as tagged PDFs (WeasyPrint), from the same templates as their HTML pages.

PDF/UA-1 gives a tagged structure (headings, tables, lists), real text, the document's
language and title. Nothing is fetched from the network: a template must carry its own
styles.
"""

from typing import Any

from django.template.loader import render_to_string


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"Heard's PDFs fetch nothing ({url}).")


# Text for screen readers on the web page ("Information: " before an inset) is hidden
# there by clipping, which WeasyPrint does not support: on paper it is left out.
PRINT_ONLY_CSS = ".nhsuk-u-visually-hidden, .nhsuk-visually-hidden { display: none !important; }"


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]  # imported here: slow to import, needed only for PDFs

    result = HTML(string=html, url_fetcher=_no_fetch, base_url="/").write_pdf(
        stylesheets=[CSS(string=PRINT_ONLY_CSS)], pdf_variant="pdf/ua-1", pdf_tags=True
    )
    assert result is not None
    return bytes(result)


def template_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, context))
