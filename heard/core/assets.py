"""The NHS.UK frontend's stylesheet, served without its web fonts.

The stylesheet declares the NHS Frutiger web fonts with ``@font-face`` rules pointing at
assets.nhs.uk, and Chromium asks for them even when no element is set in them. Unless a
deployment allows that host (``HEARD_FONT_ORIGINS``), pages link to this copy instead:
the same rules without the ``@font-face`` ones (text falls back to Arial, as the frontend
intends), and with its icons pointed at the files this app serves (the original asks for
/assets/images/…, which is a 404 here). Built once per process from the installed file.
"""

import hashlib
import re
from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.templatetags.static import static
from django.views.decorators.http import require_GET

SOURCE = "nhsuk/nhsuk-frontend.min.css"
_FONT_FACE = re.compile(r"@font-face\s*{[^}]*}")


@cache
def stylesheet() -> tuple[bytes, str]:
    """(the stylesheet without web fonts, its ETag)."""
    path = finders.find(SOURCE)
    if not path:
        raise FileNotFoundError(f"{SOURCE}: run npm install (make install)")
    with open(str(path), encoding="utf-8") as handle:
        css = handle.read()
    css = _FONT_FACE.sub("", css)
    images = static("nhsuk/assets/images/x")[: -len("x")]
    css = css.replace("url(/assets/images/", f"url({images}")
    body = css.encode("utf-8")
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@require_GET
def nhsuk_css(request: HttpRequest) -> HttpResponse:
    body, etag = stylesheet()
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified()
    response = HttpResponse(body, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=3600"
    return response
