"""Publishing (issue 21): workflows, version, Colab refs, licences, citation, changelog.

Everything here runs offline in seconds except two checks: ``cffconvert --validate`` runs from
a small tool venv (``.venv/tools/cffconvert``, created on first use from the package registry,
because cffconvert 2.0 pins jsonschema<4, which Jupyter's packages cannot use), and the
``slow`` check of the built site's footer shares the book build with tests/test_site.py.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import dlbook_version  # noqa: E402
import stamp_notebooks  # noqa: E402
import sync_repo_url  # noqa: E402

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
VERSION = sync_repo_url.book_version()
TAG = "v" + VERSION
REPO_URL, _ = sync_repo_url.repository()
CFF_TOOL = ROOT / ".venv" / "tools" / "cffconvert"
CFFCONVERT_PIN = "cffconvert==2.0.0"
# sha256 of the Creative Commons legal code (legalcode.txt), so an edit to it is noticed
CC_BY_SA_SHA256 = "23ee78c8bae49cf08ea2f0c84945c66b987ebe4520881fb51b3dad4fb43d07c2"


def tool(name: str) -> str:
    """A command-line tool of the dev extra, from this Python's environment."""
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: it comes with the dev extra (pip install -e '.[dev]')")
    return found


def load_yaml(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:                    # YAML 1.1 reads the key `on` as True
        data["on"] = data.pop(True)
    return data


def actionlint(*paths: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tool("actionlint"), "-oneline", "-no-color", "-shellcheck", tool("shellcheck"),
         "-pyflakes=", *map(str, paths)],
        capture_output=True, text=True, cwd=cwd, timeout=120)


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def uses(job: dict) -> list[str]:
    return [step["uses"] for step in steps(job) if "uses" in step]


# ------------------------------------------------------------------------------- workflows

def test_workflows_pass_actionlint():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "publish.yml"}
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_fails_a_broken_workflow(tmp_path):
    """The check above can fail: a mistyped action input, an undefined matrix value and an
    unquoted shell variable are each reported."""
    broken = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    broken = broken.replace("python-version: ${{ matrix.python }}",
                            "python-versio: ${{ matrix.pyton }}", 1)
    broken = broken.replace("run: bash .ci/run", "run: bash $CI_SCRIPT", 1)
    path = tmp_path / ".github" / "workflows" / "ci.yml"
    path.parent.mkdir(parents=True)
    path.write_text(broken, encoding="utf-8")
    result = actionlint(path, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'input "python-versio" is not defined' in result.stdout
    assert 'property "pyton" is not defined' in result.stdout
    assert "SC2086" in result.stdout


def test_shell_scripts_pass_shellcheck():
    scripts = [ROOT / ".github" / "ensure-chromium.sh", ROOT / ".ci" / "run"]
    result = subprocess.run([tool("shellcheck"), *map(str, scripts)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_runs_the_readme_test_command_on_the_oldest_and_newest_python():
    ci = load_yaml(ROOT / ".github" / "workflows" / "ci.yml")
    assert {"push", "pull_request", "schedule"} <= set(ci["on"])
    test = ci["jobs"]["test"]
    assert test["runs-on"].startswith("ubuntu")
    pythons = test["strategy"]["matrix"]["python"]
    oldest = re.search(r'requires-python = ">=(\d+\.\d+)"',
                       (ROOT / "pyproject.toml").read_text()).group(1)
    numbers = sorted(tuple(map(int, v.split("."))) for v in pythons)
    assert oldest in pythons and numbers[-1] >= (3, 12)
    setup = next(s for s in steps(test) if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"
    assert "ensure-chromium.sh" in runs(test) and "bash .ci/run" in runs(test)
    assert "make test" in (ROOT / ".ci" / "run").read_text()     # the README's command
    upload = next(s for s in steps(test) if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "failure()"
    assert "_build/html" in upload["with"]["path"] and "tests/artifacts/" in upload["with"]["path"]


def test_weekly_run_upgrades_the_four_upstreams():
    ci = load_yaml(ROOT / ".github" / "workflows" / "ci.yml")
    assert ci["on"]["schedule"][0]["cron"]
    job = ci["jobs"]["newest-upstream"]
    assert "schedule" in job["if"]
    upgrade = runs(job)
    assert "--upgrade" in upgrade
    for package in ("tensorflow", "keras", "jupyter-book", "ipywidgets"):
        assert package in upgrade
    assert "bash .ci/run" in upgrade


def test_publish_builds_with_make_book_and_deploys_with_the_pages_actions():
    publish = load_yaml(ROOT / ".github" / "workflows" / "publish.yml")
    assert publish["on"]["push"]["branches"] == ["main"] and publish["on"]["push"]["tags"]
    build, deploy = publish["jobs"]["build"], publish["jobs"]["deploy"]
    assert "make book SERVE=0" in runs(build)
    actions = [u.split("@")[0] for u in uses(build) + uses(deploy)]
    assert actions[-3:] == ["actions/configure-pages", "actions/upload-pages-artifact",
                            "actions/deploy-pages"]
    artifact = next(s for s in steps(build) if "upload-pages-artifact" in s.get("uses", ""))
    assert artifact["with"]["path"] == "_build/html"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    # a tag must be the version's tag; a branch build points Colab at the branch
    script = runs(build)
    assert "--print-tag" in script and "stamp_notebooks.py --check" in script
    assert 'stamp_notebooks.py --ref "$REF_NAME"' in script and "DLBOOK_COLAB_REF" in script


def test_dependabot_updates_pip_and_actions_and_keeps_ranges():
    path = ROOT / ".github" / "dependabot.yml"
    result = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.dependabot",
                             str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    updates = {u["package-ecosystem"]: u for u in load_yaml(path)["updates"]}
    assert set(updates) == {"pip", "github-actions"}
    assert updates["pip"]["versioning-strategy"] == "increase-if-necessary"


def test_dependencies_are_ranges_not_pins():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    requirements = re.findall(r'^\s+"([A-Za-z][^"]*)",', text, flags=re.MULTILINE)
    assert len(requirements) > 15
    pinned = [r for r in requirements if "==" in r or "===" in r]
    assert not pinned, f"pinned in pyproject.toml (use a range): {pinned}"


# --------------------------------------------------------------- version and Colab refs

def test_one_place_for_the_version_and_the_url():
    import helpers

    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    assert helpers.__version__ == VERSION
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'Repository = "{REPO_URL}"' in text, "pyproject's project.urls must name _config's URL"


def test_banner_ends_with_the_book_version():
    from helpers import config

    run = config.RunConfig(mode="fast", device="CPU", gpu_count=0, seed=0,
                           mixed_precision=False, xla=False)
    assert run.banner().startswith("mode=fast | device=CPU | python ")
    assert run.banner().endswith(f" | book {VERSION}")


def test_version_and_refs_reject_bad_values(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.0"\n')
    with pytest.raises(ValueError, match="X.Y.Z"):
        sync_repo_url.book_version(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    with pytest.raises(ValueError, match="no version"):
        sync_repo_url.book_version(tmp_path)
    for ref in ("", "a b", "../main", "-x", 7):
        with pytest.raises(ValueError, match="not a git branch or tag"):
            sync_repo_url.colab_ref(ref)
    assert sync_repo_url.colab_ref() == TAG and sync_repo_url.colab_ref("main") == "main"


def test_site_ref_is_the_tag_unless_a_development_build(monkeypatch):
    monkeypatch.delenv(sync_repo_url.REF_ENV, raising=False)
    assert sync_repo_url.site_ref() == TAG
    monkeypatch.setenv(sync_repo_url.REF_ENV, "main")
    assert sync_repo_url.site_ref() == "main"


def _copy(tmp_path: Path, name: str = "03_cnn.ipynb") -> Path:
    target = tmp_path / "notebooks" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "notebooks" / name, target)
    return target


def test_stamping_for_main_and_back_to_the_tag(tmp_path):
    """A development build stamps `--ref main`; stamping again without it restores the
    committed notebook exactly, and a second run changes nothing."""
    path = _copy(tmp_path)
    committed = path.read_text(encoding="utf-8")
    url = REPO_URL.removeprefix("https://github.com/")
    assert stamp_notebooks.main(["--ref", "main", str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    assert f'"dlbook-helpers @ git+{REPO_URL}@main"' in nb.cells[1].source
    assert f"colab.research.google.com/github/{url}/blob/main/notebooks/" in nb.cells[0].source
    assert stamp_notebooks.main(["--check", str(path)]) == 1      # not the release's stamp
    assert stamp_notebooks.main([str(path)]) == 0
    assert path.read_text(encoding="utf-8") == committed
    assert stamp_notebooks.main(["--check", str(path)]) == 0
    assert sync_repo_url.main(["--check", str(path)]) == 0
    assert sync_repo_url.main(["--check", "--ref", "main", str(path)]) == 1


def test_stamp_rejects_a_bad_ref(tmp_path):
    path = _copy(tmp_path)
    with pytest.raises(ValueError, match="not a git branch or tag"):
        stamp_notebooks.main(["--ref", "../x", str(path)])


# ---------------------------------------------------------------------------- the footer

def footer_template() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text())["html"]["extra_footer"]


def test_footer_template_renders_version_licences_and_citation():
    html = dlbook_version.render_footer(
        footer_template(), version=VERSION, ref=TAG, tag=TAG, repository=REPO_URL,
        preface="../book/preface.html")
    assert f"Version {VERSION}." in html
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0' in html
    assert f'href="{REPO_URL}/blob/{TAG}/LICENSE">MIT' in html
    assert f'href="{REPO_URL}/blob/{TAG}/THIRD-PARTY-NOTICES.md"' in html
    assert 'href="../book/preface.html#cite-this-book"' in html
    assert not re.search(r"\{[a-z]+\}", html), "a placeholder was left unfilled"
    assert "## Cite this book" in (ROOT / "book" / "preface.md").read_text(encoding="utf-8")


def test_footer_says_when_it_is_a_development_build():
    html = dlbook_version.render_footer(
        footer_template(), version=VERSION, ref="main", tag=TAG, repository=REPO_URL,
        preface="preface.html", sha="0123456789abcdef")
    assert f"Version {VERSION} (development build of main at 0123456, after {TAG})." in html
    assert f'href="{REPO_URL}/blob/main/LICENSE"' in html


@pytest.mark.parametrize("colab_ref", [None, "main"])
def test_extension_sets_release_launch_branch_and_footer(colab_ref, monkeypatch):
    """What book/_ext/dlbook_version.py does to the Sphinx configuration, for a release build
    and for a development build ($DLBOOK_COLAB_REF=main), and to a page's footer."""
    from types import SimpleNamespace

    if colab_ref:
        monkeypatch.setenv(sync_repo_url.REF_ENV, colab_ref)
    else:
        monkeypatch.delenv(sync_repo_url.REF_ENV, raising=False)
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    app = SimpleNamespace(srcdir=str(ROOT))
    config = SimpleNamespace(version="", release="", html_theme_options={
        "repository_branch": "main", "extra_footer": footer_template()})
    dlbook_version.configure(app, config)
    ref = colab_ref or TAG
    assert config.version == config.release == VERSION
    assert config.html_theme_options["repository_branch"] == ref
    context = {"pathto": lambda name: "../book/preface.html"}
    dlbook_version.footer_on_page(app, "notebooks/03_cnn", "page.html", context, None)
    footer = context["theme_extra_footer"]
    assert f'href="{REPO_URL}/blob/{ref}/LICENSE"' in footer
    assert ("development build of main" in footer) == bool(colab_ref)
    context = {"pathto": lambda name: "#"}           # on the preface itself
    dlbook_version.footer_on_page(app, "book/preface", "page.html", context, None)
    assert 'href="#cite-this-book"' in context["theme_extra_footer"]


@pytest.mark.slow
def test_built_site_shows_version_and_licences_and_launches_colab_at_the_tag(built_site):
    """On the built site (shared with tests/test_site.py): every page's footer, the lecture
    launch buttons, and the third-party notices against what _static/vendor really holds."""
    ref = sync_repo_url.site_ref()
    slug = REPO_URL.removeprefix("https://github.com/")
    pages = sorted(p for p in built_site.rglob("*.html") if "_static" not in p.parts)
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if html.lstrip().startswith('<meta http-equiv="Refresh"'):
            continue                      # index.html: a redirect to the first page
        assert f"Version {VERSION}" in html and "CC BY-SA 4.0" in html, page.name
        cite = (r"#cite-this-book" if page.stem == "preface"
                else r"[\w./]*preface\.html#cite-this-book")
        assert re.search(f'href="{cite}"', html), f"{page.name}: no link to Cite this book"
    for page in sorted((built_site / "notebooks").glob("[0-9][0-9]_*.html")):
        html = page.read_text(encoding="utf-8")
        launch = (f"https://colab.research.google.com/github/{slug}/blob/{ref}/notebooks/"
                  f"{page.stem}.ipynb")
        assert launch in html, f"{page.name}: Colab launch button not at {ref}"
    notices = (ROOT / "THIRD-PARTY-NOTICES.md").read_text(encoding="utf-8")
    for folder in sorted((built_site / "_static" / "vendor").iterdir()):
        assert f"_static/vendor/{folder.name}/" in notices, f"{folder.name} not in the notices"


# ------------------------------------------------------------------ licences and citation

def test_licences_are_in_place_and_stated():
    mit = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert mit.startswith("MIT License") and "Copyright (c) 2026 The dlbook authors" in mit
    legal = (ROOT / "LICENSE-CC-BY-SA-4.0.txt").read_bytes()
    assert hashlib.sha256(legal).hexdigest() == CC_BY_SA_SHA256, "the CC legal code was edited"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Licences", 1)[1].split("\n## ", 1)[0]
    for needed in ("MIT", "CC BY-SA 4.0", "LICENSE-CC-BY-SA-4.0.txt", "THIRD-PARTY-NOTICES.md"):
        assert needed in section
    assert 'license = { text = "MIT" }' in (ROOT / "pyproject.toml").read_text()


def test_third_party_notices_name_every_vendored_folder():
    notices = (ROOT / "THIRD-PARTY-NOTICES.md").read_text(encoding="utf-8")
    vendored = [p.name for p in (ROOT / "book" / "_static" / "vendor").iterdir() if p.is_dir()]
    import dlbook_plotly

    vendored.append(dlbook_plotly.SCRIPT.split("/")[1])      # copied in at build time
    for name in vendored:
        assert f"_static/vendor/{name}/" in notices, f"{name} is served but not listed"
    for licence in ("Apache License 2.0", "MIT", "SIL OFL 1.1", "CC BY 4.0", "BSD"):
        assert licence in notices


def citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def changelog_date(version: str) -> str:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    match = re.search(rf"^## \[{re.escape(version)}\] - (\d{{4}}-\d{{2}}-\d{{2}})$", text,
                      flags=re.MULTILINE)
    assert match, f"CHANGELOG.md has no '## [{version}] - YYYY-MM-DD' heading"
    return match.group(1)


def test_citation_agrees_with_the_book():
    cff = citation()
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert cff["version"] == VERSION == cff["preferred-citation"]["edition"]
    assert cff["title"] == config["title"] == cff["preferred-citation"]["title"]
    assert cff["repository-code"] == REPO_URL == cff["preferred-citation"]["url"]
    assert sorted(cff["license"]) == ["CC-BY-SA-4.0", "MIT"]
    assert str(cff["date-released"]) == changelog_date(VERSION)
    preface = (ROOT / "book" / "preface.md").read_text(encoding="utf-8")
    bibtex = preface.split("```bibtex", 1)[1].split("```", 1)[0]
    assert f"version {VERSION}" in bibtex and REPO_URL in bibtex
    assert config["title"] in bibtex


def test_changelog_has_unreleased_then_the_current_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", text, flags=re.MULTILINE)
    assert headings[:2] == ["Unreleased", VERSION]
    changelog_date(VERSION)


def test_citation_matches_the_cff_schema():
    """Fast, in-process: the CFF schema that check-jsonschema ships (SchemaStore's copy)."""
    result = subprocess.run([tool("check-jsonschema"), "--builtin-schema",
                             "vendor.citation-file-format", str(ROOT / "CITATION.cff")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def cffconvert() -> str:
    """cffconvert from its own small venv (it pins jsonschema<4; Jupyter needs >=4.18)."""
    exe = CFF_TOOL / "bin" / "cffconvert"
    if not exe.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(CFF_TOOL)], check=True,
                           capture_output=True, timeout=300)
            subprocess.run([str(CFF_TOOL / "bin" / "python"), "-m", "pip", "install", "--quiet",
                            CFFCONVERT_PIN], check=True, capture_output=True, text=True,
                           timeout=600)
        except (subprocess.SubprocessError, OSError) as error:
            detail = getattr(error, "stderr", "") or error
            message = f"could not install {CFFCONVERT_PIN} into {CFF_TOOL}: {detail}"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message + " (needs the package registry once; fails under CI)")
    return str(exe)


def test_citation_cff_validates_with_cffconvert(cffconvert, tmp_path):
    result = subprocess.run([cffconvert, "--validate", "-i", str(ROOT / "CITATION.cff")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid according to schema version 1.2.0" in result.stdout
    broken = tmp_path / "CITATION.cff"          # the check can fail: a date in another form
    broken.write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8").replace(
        f"date-released: {citation()['date-released']}", "date-released: 3 December 2026"))
    result = subprocess.run([cffconvert, "--validate", "-i", str(broken)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "date-released" in result.stdout + result.stderr
