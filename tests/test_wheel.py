"""Colab's install path, as far as this machine allows (issue 11, item 7).

Colab installs the package from the repository (``pip install "dlbook-helpers @ git+…"``), so
everything the notebooks need at run time must be in the built wheel: the quiz banks, the
front-end runtime, any data file under ``helpers/``. This test builds the wheel from a copy of
the package (``pip wheel . --no-deps``), installs it with ``--no-deps`` into a fresh virtual
environment outside the checkout, and runs the checks there, in a folder outside the checkout.

The fresh environment has no system site-packages. To save a large download it sees the
dependencies installed in the project's ``.venv`` through a ``.pth`` line naming that
site-packages folder (``.pth`` files inside it, such as the editable install that points at the
checkout, are not processed, and the test checks that ``helpers`` comes from the wheel).
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def _tracked_package_files() -> list[str]:
    """Files under helpers/ that git tracks (or, outside git, that exist), as wheel paths."""
    try:
        listed = subprocess.run(["git", "ls-files", "helpers"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        listed = [p.relative_to(ROOT).as_posix() for p in (ROOT / "helpers").rglob("*")
                  if p.is_file()]
    return sorted(p for p in listed if "__pycache__" not in p and (ROOT / p).exists())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the package (the checkout is left untouched)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "helpers", source / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("wheelhouse")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps",
         "--no-build-isolation", "--quiet", "-w", str(out)],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    wheels = list(out.glob("dlbook_helpers-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def fresh_python(wheel, tmp_path_factory) -> Path:
    """A new virtual environment outside the checkout with only the wheel installed."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=300)
    python = venv / "bin" / "python"
    purelib = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", str(wheel)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    dependencies = sysconfig.get_paths()["purelib"]              # the project's .venv
    assert Path(dependencies).resolve() != ROOT.resolve()
    (purelib / "dlbook_dependencies.pth").write_text(dependencies + "\n")
    return python


def run_in(python: Path, code: str, cwd: Path, timeout: int = 600) -> str:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(DLBOOK_OFFLINE="1", DLBOOK_MODE="fast", TF_CPP_MIN_LOG_LEVEL="3",
               DLBOOK_CACHE=str(cwd / "cache"), MPLBACKEND="Agg")
    done = subprocess.run([str(python), "-c", textwrap.dedent(code)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return done.stdout


def test_wheel_holds_every_package_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [path for path in _tracked_package_files() if path not in names]
    assert not missing, f"not in the wheel (add them to package-data in pyproject): {missing}"
    assert "helpers/static/dlbook.js" in names and "helpers/quizzes/03_cnn.yaml" in names
    assert not any(name.startswith(("tests/", "notebooks/", "book/")) for name in names)


def test_installed_package_works_outside_the_checkout(fresh_python, tmp_path):
    banks = sorted(p.name.split("_")[0] for p in (ROOT / "helpers" / "quizzes").glob("*.yaml"))
    out = run_in(fresh_python, f"""
        import json, sys
        from pathlib import Path
        import helpers, helpers.widgets
        from helpers import data, explorers, quiz, runtime
        root = Path({str(ROOT)!r}).resolve()
        where = Path(helpers.__file__).resolve()
        assert root not in where.parents, f"helpers imported from the checkout: {{where}}"
        assert not any(Path(p or ".").resolve() == root for p in sys.path), sys.path
        assert quiz.bank_names() == {banks!r}, quiz.bank_names()
        questions = 0
        for lecture in quiz.bank_names():
            bank = quiz.load_bank(lecture)
            for name in bank["sections"]:
                html = quiz.show_quiz(lecture, name)._repr_html_()
                assert "dlbook-quiz-data" in html and "window.DLBook" in html
            questions += sum(len(q) for q in bank["sections"].values())
        js, css = runtime.runtime_js(), runtime.runtime_css()
        assert "parseNumber" in js and ".dlbook-quiz" in css
        calc = explorers.conv_calculator(7, 3, 2)._repr_html_()
        assert 'data-kind="conv-calculator"' in calc and "DLBook.hydrate" in calc
        states = explorers.state_explorer([("a", "A", [1, 2], None)], lambda a: f"<b>{{a}}</b>",
                                          "t")._repr_html_()
        assert "dlbook-explorer-data" in states
        practice = quiz.practice_quiz(count=3, seed=1)._repr_html_()
        assert "dlbook-practice-pool" in practice
        (x_train, y_train), (x_test, y_test) = data.load_mnist(limit_train=300, limit_test=50)
        assert x_train.shape == (300, 28, 28) and y_test.shape == (50,)
        photo = data.sample_photo("camera", size=64)
        assert photo.shape[:2] == (64, 64)
        print(json.dumps({{"where": str(where), "questions": questions}}))
    """, cwd=tmp_path)
    report = json.loads(out.strip().splitlines()[-1])
    assert "stand-in" in out or "offline" in out.lower()       # the one printed line
    assert report["questions"] >= 10 * len(banks)


def test_setup_cells_import_cleanly_from_the_wheel(fresh_python, tmp_path):
    """Each committed lecture's set-up cell (magics turned into Python, as IPython does)."""
    listed = subprocess.run(["git", "ls-files", "notebooks/*.ipynb"], cwd=ROOT,
                            capture_output=True, text=True).stdout.split()
    paths = [ROOT / p for p in listed] or sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    cells = {}
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells[path.name] = "".join(nb["cells"][1]["source"])
    assert cells
    out = run_in(fresh_python, f"""
        from pathlib import Path
        from IPython.core.inputtransformer2 import TransformerManager
        import helpers
        cells = {cells!r}
        for name, source in cells.items():
            assert 'import sys' in source and 'google.colab' in source, name
            namespace = {{}}
            exec(compile(TransformerManager().transform_cell(source), name, "exec"), namespace)
            assert namespace["cfg"].fast, name
            print("set-up cell ran:", name)
        print("helpers from", Path(helpers.__file__).parent)
    """, cwd=tmp_path, timeout=900)
    assert out.count("set-up cell ran:") == len(cells), out
    assert "mode=fast" in out
    assert str(ROOT / "helpers") not in out
