"""Lecture 03 as a reader runs it: a real JupyterLab server driven by headless Chromium; and
the notebook stamping (scripts/stamp_notebooks.py) that makes notebooks read well there.

The server (token-less, loopback only, its own config/data/settings folders) serves a temporary
copy of the lecture, trusted the way ``make lab`` trusts it. The test opens it, checks that
opening it does not mark it modified, runs all cells, moves a slider of the live calculator and
checks that its drawing changes, clicks a quiz answer and checks its feedback, and fails on a
console error, an uncaught exception, an error output or a widget that shows an error.

About two minutes (the lightest lecture). Skipped without chromium unless
DLBOOK_REQUIRE_BROWSER=1 (as in CI). Screenshots go to tests/artifacts/.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import stamp_notebooks  # noqa: E402

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LECTURE = "03_cnn.ipynb"
RUN_ALL_TIMEOUT_S = 300
# jupyterlab-myst renders one cell at a time, so it cannot see the book's glossary or the
# labels of other cells and logs every such link as a console error; the book resolves them
# (tests/test_site.py checks its links). These two messages, and only they, are not failures.
MYST_CROSS_REFERENCE = re.compile(
    r"^(No target for internal reference|Cross reference target was not found)")


class LabURL(str):
    """The server's base URL, which also knows the folder it serves."""

    def __new__(cls, url: str, root: Path):
        self = super().__new__(cls, url)
        self.root = root
        return self


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a trusted copy of the lecture; yields its base URL."""
    if not CHROMIUM:
        if os.environ.get("DLBOOK_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("chromium not installed: apt-get install chromium to run browser tests")
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "notebooks"
    root.mkdir()
    shutil.copy(ROOT / "notebooks" / LECTURE, root / LECTURE)
    home = base / "home"
    env = {**os.environ,
           "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTER_PATH": str(home / "path"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
           "DLBOOK_OFFLINE": "1", "DLBOOK_MODE": "fast", "CI": "true",
           "TF_CPP_MIN_LOG_LEVEL": "3"}
    # The kernel is this interpreter, under the name and display name the notebooks record
    # (JUPYTER_PATH comes before the virtual environment's own kernelspecs).
    _write_json(home / "path" / "kernels" / "python3" / "kernel.json", {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": stamp_notebooks.KERNELSPEC["display_name"], "language": "python"})
    settings = home / "settings" / "@jupyterlab"
    _write_json(settings / "apputils-extension" / "notification.jupyterlab-settings",
                {"fetchNews": "false"})
    _write_json(settings / "notebook-extension" / "tracker.jupyterlab-settings",
                {"windowingMode": "none"})      # every cell in the page, to find widgets
    subprocess.run([sys.executable, "-m", "jupyter", "trust", str(root / LECTURE)],
                   env=env, check=True, capture_output=True)
    port = _free_port()
    log = open(base / "server.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.root_dir={root}", "--IdentityProvider.token=", "--allow-root",
         "--ServerApp.password=", "--LabApp.expose_app_in_browser=True",
         "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--FileContentsManager.pre_save_hook=helpers.widgets.pre_save_hook"],   # as make lab
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if server.poll() is not None:
            pytest.fail("JupyterLab did not start:\n" + (base / "server.log").read_text()[-3000:])
        try:
            urllib.request.urlopen(url + "/api/status", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                pytest.fail("JupyterLab did not answer within 90 s")
            time.sleep(0.5)
    yield LabURL(url, root)
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="module")
def page(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.problems = []
        tab.lab_root = lab.root
        tab.on("console", lambda m: m.type == "error" and not MYST_CROSS_REFERENCE.match(
            m.text) and tab.problems.append(f"console: {m.text[:400]}"))
        tab.on("pageerror", lambda e: tab.problems.append(f"exception: {str(e)[:400]}"))
        yield tab
        browser.close()


NOTEBOOK = "window.jupyterapp.shell.currentWidget"
STATE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    const cells = Array.from(panel.content.model.cells);
    const code = cells.filter(c => c.type === 'code');
    const errors = [];
    code.forEach(c => c.outputs.toJSON().forEach(o => {
        if (o.output_type === 'error') errors.push(o.ename + ': ' + o.evalue);
    }));
    return {status: kernel ? kernel.status : 'none', dirty: panel.context.model.dirty,
            done: code.filter(c => c.executionCount !== null).length, total: code.length,
            errors: errors};
}"""


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"jupyterlab-{name}.png"))


def _widget_errors(page) -> list[str]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('.jp-Notebook *'))
        .filter(el => el.childElementCount === 0 && /Error (displaying|rendering) widget/
                .test(el.textContent)).map(el => el.textContent.slice(0, 200))""")


@pytest.mark.slow
def test_lecture_03_in_jupyterlab(lab, page):
    page.goto(f"{lab}/lab/tree/{LECTURE}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_function(f"() => {NOTEBOOK}.sessionContext.session && "
                           f"{NOTEBOOK}.sessionContext.session.kernel && "
                           f"{NOTEBOOK}.sessionContext.session.kernel.status === 'idle'",
                           timeout=90_000)
    page.wait_for_timeout(3000)       # let late metadata updates land
    state = page.evaluate(STATE)
    _shot(page, "opened")
    if state["dirty"]:
        saved = json.loads((Path(page.lab_root) / LECTURE).read_text())
        model = page.evaluate(f"() => {NOTEBOOK}.context.model.toJSON()")
        changed = {key: (saved["metadata"].get(key), model["metadata"].get(key))
                   for key in set(saved["metadata"]) | set(model["metadata"])
                   if saved["metadata"].get(key) != model["metadata"].get(key)}
        pytest.fail(f"opening the notebook modified it (the unsaved-changes dot): {changed}")
    on_opening = list(page.problems)       # reported at the end, with everything else
    page.problems.clear()

    # Run All, as a reader does from the Run menu
    page.click("text=Run", timeout=10_000)
    page.click("li[data-command='runmenu:run-all']", timeout=10_000)
    deadline = time.monotonic() + RUN_ALL_TIMEOUT_S
    while True:
        page.wait_for_timeout(2000)
        state = page.evaluate(STATE)
        if state["status"] == "idle" and state["done"] == state["total"]:
            break
        if state["errors"] or time.monotonic() > deadline:
            _shot(page, "run-all")
            break
    assert not state["errors"], f"error outputs: {state['errors']}"
    assert state["done"] == state["total"], f"Run All did not finish in time: {state}"
    page.wait_for_timeout(2000)
    _shot(page, "run-all")
    assert not _widget_errors(page), f"widgets showing an error: {_widget_errors(page)}"

    # the live calculator: one step of its "input size" slider redraws it
    slider = page.locator(".widget-hslider", has=page.locator(
        ".widget-label", has_text=re.compile(r"^input size$"))).first
    slider.scroll_into_view_if_needed()
    calculator = slider.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][last()]")
    before_value = slider.locator(".widget-readout").inner_text()
    before = calculator.inner_html()
    slider.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([el, old]) => el.innerHTML !== old", arg=[calculator.element_handle(), before],
        timeout=10_000)
    after_value = slider.locator(".widget-readout").inner_text()
    assert int(after_value) == int(before_value) + 1, (before_value, after_value)
    _shot(page, "calculator")

    # a quiz: clicking an answer shows its feedback
    question = page.locator(".dlbook-question", has=page.locator(".dlbook-quiz-option")).first
    question.scroll_into_view_if_needed()
    question.locator(".dlbook-quiz-option").first.click()
    feedback = question.locator(".dlbook-quiz-feedback")
    page.wait_for_function("el => el.textContent.trim().length > 0",
                           arg=feedback.element_handle(), timeout=5000)
    _shot(page, "quiz")
    assert not _widget_errors(page), f"widgets showing an error: {_widget_errors(page)}"

    assert not on_opening, "console errors on opening:\n" + "\n".join(on_opening)
    assert not page.problems, "console errors:\n" + "\n".join(page.problems)

    # saved and reopened (the kernel's widget models are gone): static faces, not errors
    page.evaluate(f"() => {NOTEBOOK}.context.save()")
    page.wait_for_timeout(1500)
    page.reload()
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_timeout(4000)
    _shot(page, "reopened")
    assert not _widget_errors(page), f"reopened, widgets show an error: {_widget_errors(page)}"
    assert page.locator(".dlbook-explorer[data-ready='1']").count() >= 1, \
        "reopened notebook shows no working static explorer"


# ------------------------------------------------- scripts/stamp_notebooks.py (fast, no browser)

def _notebook(*sources):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def test_stamp_rewrites_roles_into_links_that_read_well_unrendered():
    nb = _notebook("# Lecture 99 · T\n\n<a href=\"x\">"
                   "<img src=\"../book/_static/open-in-colab.svg\""
                   " alt=\"Open In Colab\"/></a>\n\nText.",
                   "its {term}`receptive field <Receptive field>` and every {term}`CNN`; see "
                   "{ref}`section 7 <l06-transfer>` and {doc}`Lecture 03 <03_cnn>`; the "
                   "{doc}`../book/glossary`. Code `{term}`CNN`` stays, and\n```python\n"
                   "s = '{term}`CNN`'\n```\nAlexNet {footcite:p}`krizhevsky2012imagenet`.")
    path = ROOT / "notebooks" / "99_test.ipynb"
    stamp_notebooks.stamp(nb, path)
    text = nb.cells[1].source
    assert "[receptive field](#Receptive%20field)" in text
    assert "every [CNN](#CNN);" in text
    assert "[section 7](#l06-transfer)" in text
    assert "[Lecture 03](03_cnn.ipynb)" in text
    assert "the [Glossary](../book/glossary.md)." in text
    assert "`{term}`CNN``" in text and "s = '{term}`CNN`'" in text      # code untouched
    assert "{footcite:p}`krizhevsky2012imagenet`" in text               # citations keep roles
    title = nb.cells[0].source
    assert '<img src="data:image/svg+xml;base64,' in title and "../book/_static" not in title
    assert title.count(stamp_notebooks.RUN_NOTE_PREFIX) == 1
    assert nb.metadata["kernelspec"] == stamp_notebooks.KERNELSPEC
    import nbformat

    once = nbformat.writes(nb)
    stamp_notebooks.stamp(nb, path)
    assert nbformat.writes(nb) == once, "stamping twice changes the notebook again"


def test_stamp_reports_citations_that_are_words_of_the_sentence():
    nb = _notebook("# Lecture 99 · T", "As {footcite:t}`he2016deep` showed, ...")
    assert stamp_notebooks.problems(nb, Path("99_test.ipynb"))


def test_stamp_keeps_and_reports_a_doc_role_to_a_missing_page():
    nb = _notebook("# Lecture 99 · T", "see {doc}`../book/no_such_page`")
    stamp_notebooks.stamp(nb, ROOT / "notebooks" / "99_test.ipynb")
    assert "{doc}`../book/no_such_page`" in nb.cells[1].source
    assert any("no_such_page" in p for p in stamp_notebooks.problems(nb, Path("99_test.ipynb")))


def test_make_lab_trusts_the_notebooks_and_names_the_kernel_as_they_do():
    makefile = (ROOT / "Makefile").read_text()
    lab = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "jupyter trust notebooks/*.ipynb" in lab
    assert "pre_save_hook=helpers.widgets.pre_save_hook" in lab
    assert f'--display-name "{stamp_notebooks.KERNELSPEC["display_name"]}"' in makefile
