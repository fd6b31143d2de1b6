"""Browser tests: Debian's Chromium driven by Playwright, axe-core on every page visited."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("HEARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visitor:
    """A page plus the checks every visit gets: axe-core WCAG 2.2 AA and no CSP violations."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.csp_violations: list[str] = []
        self.checked: list[str] = []
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_violations.append(message.text)

    def visit(self, path: str, *, expect_status: int = 200):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == expect_status, (
            f"{path}: HTTP {response.status if response else 'no response'}"
        )
        self.check()
        return response

    def check(self) -> None:
        """Run axe-core on the page as it is now; fail on any WCAG A/AA violation."""
        self.page.wait_for_load_state("load")
        # The page as a person would see it at rest: web fonts applied, the NHS.UK
        # scripts' changes painted, and no link left hovered by where the last click
        # happened to leave the mouse (a hovered link on the blue header is a colour
        # state axe would otherwise judge, now and then – seen in CI).
        self.page.mouse.move(
            0, self.page.viewport_size["height"] - 1 if self.page.viewport_size else 0
        )
        self.page.evaluate(
            "() => document.fonts.ready.then(() => new Promise(r => "
            "requestAnimationFrame(() => requestAnimationFrame(r))))"
        )
        if self.page.evaluate("typeof window.axe") == "undefined":
            self.page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
            for v in result["violations"]
        ]
        assert not problems, f"axe found WCAG violations on {self.page.url}:\n" + "\n".join(
            problems
        )
        assert not self.csp_violations, f"CSP violations on {self.page.url}: {self.csp_violations}"
        self.checked.append(self.page.url)


@pytest.fixture
def visitor(browser, live_server, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    v = Visitor(page, live_server.url)
    yield v
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def htmx_settled(page) -> None:
    """Wait until no htmx request is in flight. htmx marks the element of a request in
    flight with ``htmx-request`` and, when it ends, sends the one queued behind it (the
    last change) at once, in the same handler: no such element means every request,
    queued ones included, has come back and been swapped in."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def fill_nhs_date(page, label: str, day: int, month: int, year: int, time: str = "") -> None:
    """Fill an NHS date input (day, month, year boxes, and a time box if ``time``)."""
    group = page.get_by_role("group", name=label)
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))
    if time:
        group.get_by_label("Time").fill(time)


@pytest.fixture
def another_visitor(browser, visitor):
    """More people at once, each signed in in their own browser context."""
    contexts = []

    def make() -> Visitor:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        contexts.append(context)
        return Visitor(context.new_page(), visitor.base_url)

    yield make
    for context in contexts:
        context.close()
