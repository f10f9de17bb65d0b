"""The built site in a real browser: Debian's chromium, headless, with no network.

The site is served by a local HTTP server on 127.0.0.1, as a reader's browser gets it (pages
opened from file:// behave differently: no fetch, no localStorage per site), and chromium is driven through the Chrome DevTools Protocol (over a websocket, with the pinned
``websocket-client``). Every page in ``_toc.yml`` is visited once; the tests then check what the
browser saw: console errors, failed requests, requests leaving the machine, typeset math,
outputs and figures, the widgets' static views, the launch and download buttons, internal
links, search, both colour themes and the "last verified" line. Screenshots are written to
``test-artefacts/screenshots/`` (the path is printed).

Set ``TORCHBOOK_SITE=path/to/_build/html`` to test a site already built instead of building one.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TOC_PAGES = re.findall(r"(?:root|file): (\S+)", (ROOT / "_toc.yml").read_text())
CHAPTERS = sorted(f"chapters/{p.stem}" for p in (ROOT / "chapters").glob("ch*.ipynb"))
EXERCISES = sorted(
    str(p.relative_to(ROOT).with_suffix("")) for p in ROOT.glob("exercises/*/*.ipynb")
)
SCREENSHOTS = ROOT / "test-artefacts" / "screenshots"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

slow = pytest.mark.slow


def chromium_executable() -> str | None:
    """Debian's chromium (the binary itself, not the launcher script), or None."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/lib/chromium/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


# --- the Chrome DevTools Protocol, the few calls we need ---------------------------------------


class CDPError(RuntimeError):
    """A DevTools command failed."""


class Browser:
    """Headless chromium with one tab, driven over the DevTools websocket."""

    def __init__(self, executable: str, profile: Path) -> None:
        import websocket  # websocket-client, pinned in requirements.lock

        self._timeout = websocket.WebSocketTimeoutException
        self.log = open(profile.parent / "chromium.log", "wb")
        self.process = subprocess.Popen(
            [
                executable,
                "--headless=new",
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-default-apps",
                "--disable-extensions",
                "--disable-sync",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--mute-audio",
                # No name resolves except the local server's address: nothing can leave.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                "--window-size=1280,900",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and len(port_file.read_text().split()) == 2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"chromium did not start: see {self.log.name}")
            time.sleep(0.05)
        port, path = port_file.read_text().split()
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}{path}", timeout=60, suppress_origin=True
        )
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def _receive(self, timeout: float) -> dict[str, Any] | None:
        self.ws.settimeout(max(timeout, 0.01))
        try:
            message = json.loads(self.ws.recv())
        except self._timeout:
            return None
        if "method" in message:
            self.events.append(message)
        return message

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its answer, keeping the events that arrive meanwhile."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            reply = self._receive(deadline - time.monotonic())
            if reply is not None and reply.get("id") == self.next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})
        raise CDPError(f"{method}: no answer in 60 s")

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """A command to the page's session."""
        return self.send(method, self.session, **params)

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression (awaited if it is a promise)."""
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise CDPError(f"{expression[:80]}...: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_until(self, expression: str, timeout: float = 20) -> Any:
        """Poll a JavaScript expression until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.05)

    def drain(self, quiet: float = 0.15, timeout: float = 20) -> None:
        """Read events until no request is in flight and nothing happened for ``quiet`` s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            started = {
                e["params"]["requestId"]
                for e in self.events
                if e["method"] == "Network.requestWillBeSent"
            }
            ended = {
                e["params"]["requestId"]
                for e in self.events
                if e["method"] in ("Network.loadingFinished", "Network.loadingFailed")
            }
            message = self._receive(quiet)
            if message is None and started <= ended:
                return

    def goto(self, url: str) -> None:
        """Load a page and wait for it, for MathJax and for the network to settle."""
        self.events.clear()
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + 30
        while not any(e["method"] == "Page.loadEventFired" for e in self.events):
            if time.monotonic() > deadline:
                raise CDPError(f"{url} did not load in 30 s")
            self._receive(deadline - time.monotonic())
        self.evaluate(
            "(window.MathJax && MathJax.startup && MathJax.startup.promise)"
            " ? MathJax.startup.promise.then(() => true) : true"
        )
        self.drain()

    def problems(self, origin: str) -> dict[str, list[str]]:
        """Console errors, failed requests and requests leaving ``origin`` since the last goto."""
        errors, failed, offsite = [], [], []
        urls: dict[str, str] = {}
        for event in self.events:
            method, params = event["method"], event["params"]
            if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                text = " ".join(
                    str(a.get("value", a.get("description", ""))) for a in params["args"]
                )
                errors.append(f"console.{params['type']}: {text}")
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                errors.append(
                    f"exception: {details.get('exception', {}).get('description', details['text'])}"
                )
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                entry = params["entry"]
                errors.append(f"log: {entry['text']} {entry.get('url', '')}")
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                urls[params["requestId"]] = url
                if not url.startswith((origin, "data:", "blob:", "about:")):
                    offsite.append(url)
            elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
                failed.append(f"{params['response']['status']} {params['response']['url']}")
            elif method == "Network.loadingFailed":
                failed.append(f"{params['errorText']} {urls.get(params['requestId'], '?')}")
        return {"console errors": errors, "failed requests": failed, "offsite requests": offsite}

    def set_theme(self, theme: str) -> None:
        """Make the page follow a light or dark system setting (the book's default mode: auto)."""
        self.call(
            "Emulation.setEmulatedMedia",
            features=[{"name": "prefers-color-scheme", "value": theme}],
        )
        if self.evaluate("!!document.documentElement.dataset.theme"):  # a page is loaded
            self.wait_until(f"document.documentElement.dataset.theme === '{theme}'", timeout=5)
            # two frames, so that the new colours are painted before a screenshot
            self.evaluate(
                "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
            )

    def screenshot(self, path: Path) -> Path:
        """Save what the viewport shows as a PNG."""
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        """Stop chromium."""
        try:
            if hasattr(self, "ws"):
                self.send("Browser.close")
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


# --- what the browser reads from a page ----------------------------------------------------------

READ_PAGE = r"""
(() => {
  const content = document.querySelector("article.bd-article") || document.body;
  const visible = (el) => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0;
  const prose = Array.from(content.querySelectorAll("p")).map((p) => {
    const copy = p.cloneNode(true);
    copy.querySelectorAll(".math, code, mjx-container, a.headerlink").forEach((n) => n.remove());
    return copy.textContent;
  }).join(" ");
  const h1 = content.querySelector("h1");
  const verified = content.querySelector("p.torchbook-verified");
  return {
    title: h1 ? h1.textContent : "",
    numbered: !!(h1 && h1.querySelector(".section-number")),
    math: content.querySelectorAll(".math").length,
    untypeset: Array.from(content.querySelectorAll(".math"))
      .filter((m) => !m.querySelector("mjx-container")).map((m) => m.textContent.slice(0, 60)),
    typeset: content.querySelectorAll("mjx-container").length,
    rawDollars: (() => {
      const copy = content.cloneNode(true);  // code may show "$$" on purpose
      copy.querySelectorAll("code, pre, mjx-container").forEach((n) => n.remove());
      return copy.textContent.includes("$$");
    })(),
    outputs: content.querySelectorAll(".cell_output").length,
    images: Array.from(document.images).map((img) => ({
      src: img.currentSrc || img.src, alt: img.getAttribute("alt") || "",
      loaded: img.complete && img.naturalWidth > 0, inContent: content.contains(img),
      inOutput: !!img.closest(".cell_output"), shown: visible(img),
    })),
    // Widget controls (the copy button of an output block is no widget).
    controls: Array.from(content.querySelectorAll(
      ".cell_output input, .cell_output select, .cell_output button:not(.copybtn), " +
      ".cell_output textarea, .cell_output .widget-subarea, .cell_output .jupyter-widgets, " +
      "script[type='application/vnd.jupyter.widget-view+json']"
    )).map((n) => n.outerHTML.slice(0, 120)),
    links: Array.from(document.querySelectorAll("a[href]")).map((a) => a.href),
    launch: Array.from(document.querySelectorAll(".dropdown-launch-buttons a[href]")).map((a) => a.href),
    download: Array.from(document.querySelectorAll("a.btn-download-source-button")).map((a) => a.href),
    verified: verified ? {
      text: verified.textContent, afterTitle: verified.previousElementSibling === h1,
      shown: visible(verified),
    } : null,
    words: (prose.toLowerCase().match(/\b[a-z]{8,}\b/g) || []),
    text: content.innerText,
    searches: Array.from(document.querySelectorAll(".search-button-field, .search-button, input[type=search]"))
      .filter(visible).length,
  };
})()
"""

#: How a narrow screen sees a page: the widest element, paragraphs that do not fit, and how
#: much each figure is scaled down from its natural size.
READ_NARROW = r"""
(() => {
  const content = document.querySelector("article.bd-article") || document.body;
  const width = document.documentElement.clientWidth;
  const over = Array.from(content.querySelectorAll("p, li, h1, h2, h3, dt, dd"))
    .filter((el) => !el.closest("pre, .cell_output, table, mjx-container"))
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .map((el) => el.textContent.trim().slice(0, 60));
  // what sticks out, outermost first (inside a scrolling box is fine: code, tables)
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const wide = Array.from(document.body.querySelectorAll("*"))
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !scrolls(el))
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + "." + String(el.className).split(" ").join(".")
      + " " + Math.round(el.getBoundingClientRect().right) + "px: "
      + (el.textContent || "").trim().slice(0, 40));
  return {
    width: width,
    scrollWidth: document.documentElement.scrollWidth,
    over: over,
    wide: wide,
    figures: Array.from(content.querySelectorAll(".cell_output img"))
      .filter((img) => img.naturalWidth > 0)
      .map((img) => ({src: img.currentSrc || img.src,
                      scale: img.getBoundingClientRect().width / img.naturalWidth})),
  };
})()
"""

#: Words for our sources that must never reach a reader ("seed" as the random seed is fine).
AUTHORING = re.compile(
    r"\bthe seed's\b|\bseed(?:'s)? (?:text|textbook|book|chapter|example|exercise|syllabus)s?\b"
    r"|\b(?:in|from) the seed\b(?! (?:PyTorch|of|it|the|every|each|=))",
    re.IGNORECASE,
)
#: MyST syntax that was not rendered: a role or a directive shown as text.
RAW_MYST = re.compile(r"\{(?:term|cite|ref|doc|numref|eq|glossary|math)\}`|^:::\{|^```\{", re.M)

COLOURS = r"""
(() => {
  const rgba = (s) => (s.match(/[\d.]+/g) || []).map(Number);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgba(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return rgba(getComputedStyle(document.documentElement).backgroundColor).slice(0, 3);
  };
  const pair = (el) => el && {fg: rgba(getComputedStyle(el).color).slice(0, 3), bg: background(el)};
  const content = document.querySelector("article.bd-article");
  return {
    theme: document.documentElement.dataset.theme,
    text: pair(content.querySelector("section > p:not(.torchbook-verified)")),
    verified: pair(content.querySelector("p.torchbook-verified")),
    code: pair(content.querySelector("div.cell_input pre")),
    figures: Array.from(content.querySelectorAll(".cell_output img, figure img")).map(
      (img) => rgba(getComputedStyle(img).backgroundColor)),
  };
})()
"""


def luminance(rgb: list[float]) -> float:
    """WCAG relative luminance of an sRGB colour given as 0-255 channels."""

    def linear(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(pair: dict[str, list[float]]) -> float:
    """WCAG contrast ratio of a text colour on its background."""
    a, b = sorted((luminance(pair["fg"]), luminance(pair["bg"])), reverse=True)
    return (a + 0.05) / (b + 0.05)


# --- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def built_site(request: pytest.FixtureRequest) -> Path:
    """The HTML site: the one named by TORCHBOOK_SITE, or the suite's one strict build
    (conftest.py's ``site``)."""
    if os.environ.get("TORCHBOOK_SITE"):
        return Path(os.environ["TORCHBOOK_SITE"]).resolve()
    return request.getfixturevalue("site")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def server(built_site: Path):
    """The site over HTTP on 127.0.0.1; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory):
    """Headless chromium with no network."""
    executable = chromium_executable()
    if executable is None:
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install chromium")
    chrome = Browser(executable, tmp_path_factory.mktemp("chromium") / "profile")
    yield chrome
    chrome.close()


@pytest.fixture(scope="session")
def pages(browser: Browser, server: str) -> dict[str, dict[str, Any]]:
    """Every page in the table of contents, as the browser saw it (light theme)."""
    browser.set_theme("light")
    seen = {}
    for name in TOC_PAGES:
        browser.goto(f"{server}{name}.html")
        seen[name] = browser.evaluate(READ_PAGE) | browser.problems(server)
    return seen


def notebook(name: str) -> dict[str, Any]:
    """A chapter or exercises notebook from the repository."""
    return json.loads((ROOT / f"{name}.ipynb").read_text(encoding="utf-8"))


def widget_pngs(nb: dict[str, Any]) -> list[str]:
    """The file names myst-nb gives the PNG snapshot of each widget output (sha256 of the bytes)."""
    names = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and "image/png" in data:
                png = base64.b64decode(data["image/png"])
                names.append(f"{hashlib.sha256(png).hexdigest()}.png")
    return names


# --- the checks -------------------------------------------------------------------------------------


@slow
@pytest.mark.parametrize("name", TOC_PAGES)
def test_page_loads_with_no_errors_and_no_request_leaving_the_machine(pages, name):
    problems = {
        k: pages[name][k] for k in ("console errors", "failed requests", "offsite requests")
    }
    assert not any(problems.values()), f"{name}: {json.dumps(problems, indent=1)}"


@slow
@pytest.mark.parametrize("name", TOC_PAGES)
def test_math_is_typeset(pages, name):
    page = pages[name]
    assert not page["rawDollars"], f"{name}: raw $$ on the page"
    assert not page["untypeset"], f"{name}: math left as TeX: {page['untypeset'][:5]}"
    if name in CHAPTERS:
        assert page["math"] > 0 and page["typeset"] >= page["math"], f"{name}: no typeset math"


@slow
def test_math_speech_and_explorer_load_from_the_site(pages, browser, server):
    """MathJax's accessibility tools (speech rules, explorer) come from the site too."""
    # The page with the least math (and some): enriching math for speech takes a while.
    name = min((p for p in pages if pages[p]["math"]), key=lambda p: pages[p]["math"])
    browser.goto(f"{server}{name}.html")
    browser.evaluate(
        "localStorage.setItem('MathJax-Menu-Settings', JSON.stringify("
        "{explorer: true, speech: true, braille: true, assistiveMml: true}))"
    )
    try:
        browser.goto(f"{server}{name}.html")
        spoken = browser.wait_until(
            "document.querySelectorAll('mjx-container [data-semantic-speech]').length"
        )
        problems = browser.problems(server)
    finally:
        browser.evaluate("localStorage.removeItem('MathJax-Menu-Settings')")
    assert not any(problems.values()), problems
    assert spoken, "MathJax did not add speech to the math"


@slow
@pytest.mark.parametrize("name", TOC_PAGES)
def test_images_load_and_have_alt_text(pages, name):
    images = pages[name]["images"]
    broken = [i["src"] for i in images if not i["loaded"]]
    assert not broken, f"{name}: images that did not load: {broken}"
    no_alt = [i["src"] for i in images if i["inContent"] and not i["alt"].strip()]
    assert not no_alt, f"{name}: figures with no alt text: {no_alt}"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("as in the seed's example", True),
        ("the seed text says", True),
        ("In the seed, chapter 3 uses", True),
        ("from the seed textbook", True),
        ("call torch.manual_seed(0): the same seed gives the same numbers", False),
        ("re-seed it from the seed PyTorch gave the worker", False),
        ("other sizes, other seeds", False),
        ("seed every random number generator once", False),
    ],
)
def test_the_authoring_vocabulary_pattern(text, flagged):
    assert bool(AUTHORING.search(text)) == flagged


@slow
@pytest.mark.parametrize("name", [n for n in TOC_PAGES if n != "book/authoring"])
def test_no_authoring_words_and_no_raw_myst_on_reader_pages(pages, name):
    text = pages[name]["text"]
    assert not AUTHORING.findall(text), f"{name}: {AUTHORING.findall(text)}"
    raw = [m.group(0) for m in RAW_MYST.finditer(text)]
    assert not raw, f"{name}: MyST syntax shown as text: {raw[:5]}"


@pytest.fixture(scope="session")
def narrow(browser: Browser, server: str, pages) -> dict[str, dict[str, Any]]:
    """Every chapter and exercises page as a 420 px wide phone screen shows it."""
    browser.call(
        "Emulation.setDeviceMetricsOverride", width=420, height=900, deviceScaleFactor=2,
        mobile=True,
    )  # fmt: skip
    try:
        seen = {}
        for name in CHAPTERS + EXERCISES:
            browser.goto(f"{server}{name}.html")
            seen[name] = browser.evaluate(READ_NARROW)
        return seen
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")


@slow
@pytest.mark.parametrize("name", CHAPTERS + EXERCISES)
def test_a_phone_shows_the_prose_without_sideways_scrolling(narrow, name):
    page = narrow[name]
    assert page["width"] <= 420, page["width"]
    assert page["scrollWidth"] <= page["width"], (
        f"{name}: the page is {page['scrollWidth']} px wide on a {page['width']} px screen: "
        f"{page['wide']}"
    )
    assert not page["over"], f"{name}: text wider than the screen: {page['over'][:3]}"


@slow
@pytest.mark.parametrize("name", TOC_PAGES)
def test_one_search_box(pages, name):
    assert pages[name]["searches"] == 1, f"{name}: {pages[name]['searches']} search boxes shown"


@slow
@pytest.mark.parametrize("name", CHAPTERS)
def test_a_phone_shows_figures_at_their_own_size(narrow, name):
    """Shrunk to a 420 px screen a figure's labels are a few pixels high; it is shown at its
    own size instead, in a box that scrolls sideways."""
    figures = narrow[name]["figures"]
    assert figures, f"{name}: no figure measured"
    small = [(f["src"].rsplit("/", 1)[-1], round(f["scale"], 2)) for f in figures if f["scale"] < 0.95]
    assert not small, f"{name}: figures shrunk on a phone (name, scale): {small}"


@slow
@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_has_numbered_title_outputs_and_figures(pages, name):
    page = pages[name]
    assert page["numbered"], f"{name}: the title has no chapter number"
    assert page["outputs"] > 0, f"{name}: no executed outputs"
    figures = [i for i in page["images"] if i["inOutput"] and i["loaded"] and i["shown"]]
    assert figures, f"{name}: no figure in the outputs"


@slow
@pytest.mark.parametrize("name", CHAPTERS)
def test_each_widget_shows_its_static_view_and_no_dead_controls(pages, name):
    page = pages[name]
    assert not page["controls"], f"{name}: widget controls on a page with no kernel"
    for png in widget_pngs(notebook(name)):
        shown = [i for i in page["images"] if i["src"].endswith(f"/_images/{png}")]
        assert shown, f"{name}: the static view {png} of a widget is not on the page"
        assert all(i["loaded"] and i["shown"] and i["alt"] for i in shown), shown


@slow
@pytest.mark.parametrize("name", CHAPTERS + EXERCISES)
def test_launch_and_download_buttons(pages, server, name):
    launch = pages[name]["launch"]
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    buttons, branch = config["launch_buttons"], config["repository"]["branch"]
    repo_url = config["repository"]["url"].rstrip("/")
    repo = urllib.parse.urlsplit(repo_url).path.strip("/")
    hub_repo = urllib.parse.quote(repo_url, safe="/")
    expected = {
        "Binder": f"{buttons['binderhub_url']}/v2/gh/{repo}/{branch}?urlpath=lab/tree/{name}.ipynb",
        "Colab": f"{buttons['colab_url']}/github/{repo}/blob/{branch}/{name}.ipynb",
    }
    if buttons.get("jupyterhub_url"):  # a JupyterHub button only where a hub is set
        expected["JupyterHub"] = (
            f"{buttons['jupyterhub_url']}/hub/user-redirect/git-pull?repo={hub_repo}"
            f"&urlpath=lab/tree/{repo.split('/')[-1]}/{name}.ipynb&branch={branch}"
        )
    else:
        assert not [u for u in launch if "/hub/user-redirect/" in u], launch
    for where, url in expected.items():
        assert url in launch, f"{name}: no {where} button to {url}; buttons: {launch}"
    assert pages[name]["download"] == [f"{server}_sources/{name}.ipynb"]
    with urllib.request.urlopen(pages[name]["download"][0], timeout=10) as response:
        downloaded = json.load(response)
    assert downloaded["cells"] == notebook(name)["cells"], "the download is not the notebook"


@slow
def test_internal_links_resolve(pages, server, built_site):
    ids: dict[Path, set[str]] = {}
    broken = set()
    for name, page in pages.items():
        for link in page["links"]:
            if not link.startswith(server):
                continue
            parts = urllib.parse.urlsplit(link)
            path = built_site / urllib.parse.unquote(parts.path).lstrip("/")
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken.add(f"{name} -> {link}")
            elif parts.fragment and path.suffix == ".html":
                if path not in ids:
                    ids[path] = set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))
                if urllib.parse.unquote(parts.fragment) not in ids[path]:
                    broken.add(f"{name} -> {link} (no such anchor)")
    assert not broken, "\n".join(sorted(broken))


def search_terms(pages: dict[str, dict[str, Any]]) -> dict[str, str]:
    """For each chapter, the word of its prose that the fewest other pages use."""
    spread = Counter(word for page in pages.values() for word in set(page["words"]))
    return {
        name: min(set(pages[name]["words"]), key=lambda w: (spread[w], -len(w), w))
        for name in CHAPTERS
    }


@slow
def test_search_finds_each_chapter_by_a_word_of_its_text(pages, browser, server):
    missed = {}
    terms = search_terms(pages)
    print(f"\nsearch terms: {terms}")
    for name, term in terms.items():
        browser.goto(f"{server}search.html?q={urllib.parse.quote(term)}")
        found = browser.wait_until(
            "(() => { const s = document.querySelector('#search-results p.search-summary');"
            " if (!s || !/finished|did not match/i.test(s.innerText)) return null;"
            " return Array.from(document.querySelectorAll('#search-results ul.search a'))"
            ".map((a) => a.href).concat(['done']); })()"
        )
        problems = browser.problems(server)
        assert not any(problems.values()), f"search page: {problems}"
        if not found or not any(f"/{name}.html" in url for url in found):
            missed[name] = (term, found)
    assert not missed, f"search did not find these chapters by these words: {missed}"


@slow
@pytest.mark.parametrize("name", CHAPTERS)
def test_last_verified_line_names_the_pytorch_that_made_the_outputs(pages, name):
    printed = "".join(
        "".join(output.get("text", ""))
        for cell in notebook(name)["cells"]
        for output in cell.get("outputs", [])
        if output.get("name") == "stdout"
    )
    versions = re.findall(r"^PyTorch (\S+)$", printed, re.MULTILINE)
    assert versions, f"{name}: the notebook prints no 'PyTorch X.Y.Z' line"
    line = pages[name]["verified"]
    assert line, f"{name}: no 'last verified' line"
    assert f"Last verified with PyTorch {versions[0]} " in line["text"], line
    assert line["afterTitle"] and line["shown"], line


@slow
def test_light_and_dark_themes_are_readable(browser, server):
    name = next(c for c in CHAPTERS if widget_pngs(notebook(c)))  # a chapter with a widget
    browser.goto(f"{server}{name}.html")
    report = {}
    for theme in ("light", "dark"):
        browser.set_theme(theme)
        colours = browser.evaluate(COLOURS)
        assert colours["theme"] == theme, colours
        for part in ("text", "verified", "code"):
            report[f"{theme} {part}"] = round(contrast(colours[part]), 1)
        # Figures: drawn with dark ink, they need a light card behind any transparent part.
        assert colours["figures"], "no figure on the chapter page"
        dim = [c for c in colours["figures"] if (len(c) == 4 and c[3] < 1) or luminance(c) < 0.8]
        if theme == "dark":
            assert not dim, f"figures on a dark background in the dark theme: {dim}"
    browser.set_theme("light")
    print(f"\ncontrast ratios on {name}: {report}")
    low = {k: v for k, v in report.items() if v < 4.5}
    assert not low, f"text contrast below 4.5:1 (WCAG AA): {low}; all: {report}"


def reference_page() -> str:
    """A reference page if the book has them (not their index), else the instructors' guide."""
    pages = [p for p in TOC_PAGES if p.startswith("book/reference/")]
    return next((p for p in pages if not p.endswith("/index")), "book/instructors")


@slow
def test_screenshots(browser, server, capsys):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chapter = CHAPTERS[0]
    png = widget_pngs(notebook(chapter))
    shots = []
    browser.goto(f"{server}{chapter}.html")
    for theme in ("light", "dark"):
        browser.set_theme(theme)
        suffix = "-dark" if theme == "dark" else ""
        browser.evaluate("window.scrollTo(0, 0)")
        shots.append(browser.screenshot(SCREENSHOTS / f"chapter{suffix}.png"))
        if png:  # the first widget's static view, scrolled into sight
            browser.evaluate(
                f"document.querySelector('img[src$=\"{png[0]}\"]')"
                ".scrollIntoView({block: 'center'})"
            )
            shots.append(browser.screenshot(SCREENSHOTS / f"chapter-widget{suffix}.png"))
    browser.set_theme("light")
    for label, name in (("exercises", EXERCISES[0]), ("reference", reference_page())):
        browser.goto(f"{server}{name}.html")
        shots.append(browser.screenshot(SCREENSHOTS / f"{label}.png"))
    for path in shots:
        assert path.stat().st_size > 10_000, f"{path} looks empty"
    with capsys.disabled():  # shown without -s: a person opens these
        print(f"\nscreenshots ({reference_page()} as the reference page) in {SCREENSHOTS}/:")
        print("  " + ", ".join(path.name for path in shots))


# --- the build-time guards, without a browser -------------------------------------------------------


def extension(name: str) -> Any:
    """A torchbook Sphinx extension, loaded from its file: the package would import torch."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "torchbook" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_warns_on_saved_widget_state_and_widgets_without_a_picture():
    widget_problems = extension("offline_site").widget_problems

    view = {"output_type": "display_data", "data": {WIDGET_VIEW: {"model_id": "1"}}}
    pictured = {"output_type": "display_data", "data": {WIDGET_VIEW: {}, "image/png": "iVBO"}}
    state = {"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {"1": {}}}}}
    assert widget_problems({"cells": [{"outputs": [pictured]}]}) == []
    assert "no image/png" in widget_problems({"cells": [{"outputs": [view]}]})[0]
    assert "widget state" in widget_problems({"metadata": state, "cells": []})[0]


def test_last_verified_reads_the_printed_version():
    site_ext = extension("site_ext")
    verified_sentence, verified_with = site_ext.verified_sentence, site_ext.verified_with

    out = {"output_type": "stream", "name": "stdout", "text": ["seeded\n", "PyTorch 2.14.1\n"]}
    nb = {"metadata": {"language_info": {"version": "3.11.7"}}, "cells": [{"outputs": [out]}]}
    assert verified_with(nb) == {"torch": "2.14.1", "python": "3.11.7"}
    assert verified_sentence(verified_with(nb)).startswith(
        "Last verified with PyTorch 2.14.1 on Python 3.11.7:"
    )
    stderr = {"output_type": "stream", "name": "stderr", "text": "PyTorch 2.14.1\n"}
    assert verified_with({"cells": [{"outputs": [stderr]}]}) is None
