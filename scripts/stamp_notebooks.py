"""Make every lecture notebook read and open well outside the book (JupyterLab, Colab, GitHub).

    python scripts/stamp_notebooks.py            # rewrite notebooks/NN_*.ipynb in place
    python scripts/stamp_notebooks.py --check    # change nothing; exit 1 and list what differs
    python scripts/stamp_notebooks.py a.ipynb    # only these files
    python scripts/stamp_notebooks.py --ref main # development build: Colab installs from main

It touches markdown cells and notebook metadata only, never code or outputs, so nothing needs
re-executing. Running it twice changes nothing the second time. What it does:

1. **Colab badge, self-contained.** The badge image is the book's ``open-in-colab.svg``
   inlined as a ``data:`` URI, so it shows in JupyterLab (whose server root is ``notebooks/``),
   on GitHub and in the book, and the book fetches nothing from outside.
2. **A "how to run this" line** under the title: run the setup cell first, and why quizzes
   and explorers stay silent in a notebook that is not trusted (``make lab`` trusts them).
3. **Kernel metadata** equal to the kernel every Jupyter install has (``python3``,
   "Python 3 (ipykernel)"). JupyterLab rewrites a notebook's kernelspec when the kernel it
   starts has another display name, which marked a freshly opened notebook as modified.
4. **MyST roles that read well unrendered.** Colab, GitHub and a JupyterLab without
   jupyterlab-myst show a role as literal text ("{term}`CNN`"). Roles that have a Markdown
   equivalent become ordinary links, which the book resolves exactly like the role:

   ========================================  ==============================================
   written by the author                     after this script
   ========================================  ==============================================
   {term}`CNN`                               [CNN](#CNN)
   {term}`receptive field <Receptive field>`  [receptive field](#Receptive%20field)
   {ref}`section 7 <l06-transfer>`           [section 7](#l06-transfer)
   {doc}`Lecture 03 <03_cnn>`                [Lecture 03](03_cnn.ipynb)
   {doc}`../book/glossary`                   [Glossary](../book/glossary.md)
   ========================================  ==============================================

   Citations keep their role (``{footcite:p}`key```; the footnote list needs it). The
   convention that keeps those sentences readable is checked, not rewritten: a citation
   follows the words that name the work ("AlexNet {footcite:p}`krizhevsky2012imagenet`"),
   it is never a word of the sentence, so ``{footcite:t}``/``{cite:t}`` are reported.
5. **Exam-focus callouts get a name** (``:name: exam-03-counting-operations``), the target the
   book's exam-focus index (``book/exam_focus.md``, ``scripts/exam_focus_index.py``) links to.
   A callout that already has a ``:name:`` keeps it.
6. **The repository and the version** in the Colab cells (as ``sync_repo_url.py``): the set-up
   cell installs ``dlbook-helpers @ git+<repository>@v<version>`` and the badge opens the
   notebook at that tag (repository URL from ``_config.yml``, version from ``pyproject.toml``).
   ``--ref main`` points them at a branch instead: a development build (the publish workflow
   does this, uncommitted, for pushes to main).
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import sys
from pathlib import Path
from urllib.parse import quote

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sync_repo_url  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BADGE_SVG = ROOT / "book" / "_static" / "open-in-colab.svg"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

RUN_NOTE_PREFIX = "> **Running it yourself?**"
RUN_NOTE = "\n".join((
    RUN_NOTE_PREFIX + " Run the setup cell below first (on Colab it installs the",
    "> book's helpers), or *Run All*. Quizzes and explorers need a trusted notebook: `make lab`",
    "> trusts the book's notebooks for you; opened another way, run their cells (or",
    "> `jupyter trust` the file) and they come alive.",
))

BADGE_IMG = re.compile(r'<img\s+src="[^"]*"\s+alt="Open In Colab"\s*/?>')
ROLE_OR_CODE = re.compile(r"\{(?P<kind>term|ref|doc)\}`(?P<body>[^`]+)`|(`+)(?:(?!\3).)+?\3",
                          re.DOTALL)
EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.DOTALL)
UNREADABLE_CITATION = re.compile(r"\{(?:foot)?cite:t\}`")
FENCE = re.compile(r"^(```+|~~~+|:::+)", re.MULTILINE)
EXAM_CALLOUT = re.compile(r"^(:::+)\{admonition\} Exam focus:\s*(?P<title>.+)$", re.MULTILINE)


def slug(text: str, limit: int = 40) -> str:
    """Lower-case words joined by hyphens, cut at a word boundary near ``limit``."""
    words = re.findall(r"[a-z0-9]+", re.sub(r"\$[^$]*\$", "", text.lower()))
    out = ""
    for word in words:
        if out and len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}" if out else word
    while out.rsplit("-", 1)[-1] in {"and", "or", "of", "the", "a", "an", "to", "in"} \
            and "-" in out:
        out = out.rsplit("-", 1)[0]
    return out or "callout"


def exam_callout_name(lecture: str, title: str, taken: set[str]) -> str:
    """``exam-<lecture>-<slug of title>``, made unique within ``taken`` (which it extends)."""
    base = f"exam-{lecture}-{slug(title)}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def name_exam_callouts(source: str, lecture: str, taken: set[str]) -> str:
    """Add ``:name:`` to each "Exam focus" admonition that has none."""
    lines = source.split("\n")
    out = []
    for index, line in enumerate(lines):
        out.append(line)
        match = EXAM_CALLOUT.match(line)
        if not match:
            continue
        options = []
        for follow in lines[index + 1:]:
            if not follow.startswith(":") or follow.startswith(":::"):
                break
            options.append(follow)
        named = [o for o in options if o.startswith(":name:")]
        if named:
            taken.add(named[0].split(":", 2)[2].strip())
        else:
            out.append(":name: " + exam_callout_name(lecture, match.group("title"), taken))
    return "\n".join(out)


def badge_img() -> str:
    data = base64.b64encode(BADGE_SVG.read_bytes()).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{data}" alt="Open In Colab"/>'


def _doc_title(path: Path) -> str:
    """First heading of a Markdown page or notebook (the text {doc} would show)."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    match = re.search(r"^#\s+(.+)$", text, flags=re.MULTILINE)
    if not match:
        raise ValueError(f"{path}: no '# title' line, write the {{doc}} role with its text")
    return match.group(1).strip()


def _doc_path(target: str, notebook: Path) -> Path:
    base = (notebook.parent / target) if not target.startswith("/") else ROOT / target[1:]
    for suffix in ("", ".md", ".ipynb"):
        candidate = base.with_name(base.name + suffix)
        if candidate.is_file():
            return candidate
    raise ValueError(f"{notebook.name}: {{doc}} target not found: {target}")


def role_to_link(kind: str, body: str, notebook: Path) -> str | None:
    """The Markdown link for one role, or None when it has no faithful link form."""
    match = EXPLICIT.match(body)
    text, target = (match.group(1), match.group(2)) if match else (None, body)
    if kind == "term":
        return f"[{text or target}](#{quote(target.strip(), safe='')})"
    if kind == "ref":
        if text is None:       # the role would show the section title: keep it
            return None
        return f"[{text}](#{target.strip()})"
    try:
        path = _doc_path(target.strip(), notebook)
    except ValueError:          # page not written yet: keep the role, problems() reports it
        return None
    relative = Path(os.path.relpath(path, notebook.parent)).as_posix()
    return f"[{text or _doc_title(path)}]({relative})"


def _outside_code(source: str):
    """(start, end) spans of ``source`` that are neither code spans nor fenced blocks."""
    spans, position, fence = [], 0, None
    lines = source.splitlines(keepends=True)
    offset = 0
    for line in lines:
        stripped = line.lstrip()
        marker = FENCE.match(stripped)
        if fence is None and marker and marker.group(1)[0] == "`":
            spans.append((position, offset))
            fence = marker.group(1)
        elif fence is not None and stripped.startswith(fence) and stripped.strip() == fence:
            fence = None
            position = offset + len(line)
        offset += len(line)
    if fence is None:
        spans.append((position, len(source)))
    return spans


def rewrite_roles(source: str, notebook: Path) -> str:
    """Replace the roles that have a link form, outside code spans and fenced blocks."""
    def replace(match: re.Match) -> str:
        if match.group("kind") is None:          # a code span: leave it alone
            return match.group(0)
        link = role_to_link(match.group("kind"), match.group("body"), notebook)
        return match.group(0) if link is None else link

    out, last = [], 0
    for start, end in _outside_code(source):
        out.append(source[last:start])
        out.append(ROLE_OR_CODE.sub(replace, source[start:end]))
        last = end
    out.append(source[last:])
    return "".join(out)


def stamp_title(source: str, badge: str) -> str:
    source = BADGE_IMG.sub(lambda _m: badge, source, count=1)
    lines = source.split("\n")
    if any(line.startswith(RUN_NOTE_PREFIX) for line in lines):     # drop the old note
        first = next(i for i, line in enumerate(lines) if line.startswith(RUN_NOTE_PREFIX))
        last = first
        while last < len(lines) and lines[last].startswith(">"):
            last += 1
        del lines[first:last]
    # the note goes right after the badge line (or the heading when there is no badge)
    anchor = next((i for i, line in enumerate(lines) if "Open In Colab" in line), 0)
    while len(lines) > anchor + 2 and lines[anchor + 1] == "" and lines[anchor + 2] == "":
        del lines[anchor + 1]
    lines[anchor + 1:anchor + 1] = ["", RUN_NOTE]
    return "\n".join(lines)


def problems(nb, path: Path) -> list[str]:
    """Convention breaches the script reports but does not rewrite."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for match in re.finditer(r"\{doc\}`([^`]+)`", cell.source):
            found.append(f"{path.name} cell {cell.get('id')}: {{doc}} role left as it is, its "
                         f"page does not exist: {match.group(1)}")
        if UNREADABLE_CITATION.search(cell.source):
            found.append(f"{path.name} cell {cell.get('id')}: a {{footcite:t}}/{{cite:t}} "
                         "citation is a word of its sentence; name the authors in prose and "
                         "cite with {footcite:p} after them")
    return found


def stamp(nb, path: Path, badge: str | None = None, ref: str | None = None) -> None:
    """Stamp one notebook in memory; ``ref`` (default: the release tag) is where Colab
    installs the helpers from and opens the notebook."""
    badge = badge or badge_img()
    lecture, taken = path.name[:2], set()
    for cell in nb.cells:            # names already given are kept and reserved
        if cell.cell_type == "markdown":
            taken.update(re.findall(r"^:name:\s*(\S+)", cell.source, flags=re.MULTILINE))
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            if index == 0:
                cell.source = stamp_title(cell.source, badge)
            cell.source = rewrite_roles(cell.source, path)
            cell.source = name_exam_callouts(cell.source, lecture, taken)
    sync_repo_url.sync_cells(nb, ref)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if any notebook would change")
    parser.add_argument("--ref", default=None,
                        help="branch or tag Colab installs from and opens (default: the "
                             "release tag v<version> from pyproject.toml; 'main' for a "
                             "development build)")
    args = parser.parse_args(argv)
    paths = args.paths or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    badge, stale, issues = badge_img(), [], []
    install, _ = sync_repo_url.expected_strings(args.ref)
    print(f"Colab cells install dlbook-helpers @ {install}")
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        before = path.read_text(encoding="utf-8")
        stamp(nb, path.resolve(), badge, args.ref)
        issues += problems(nb, path)
        after = nbformat.writes(nb) + "\n"     # as Jupyter and nbformat.write save it
        if after != before:
            stale.append(path.name)
            if not args.check:
                path.write_text(after, encoding="utf-8")
        print(f"{path.name}: {'would change' if args.check and after != before else 'ok'}"
              if args.check else f"{path.name}: {'stamped' if after != before else 'unchanged'}")
    for issue in issues:
        print("convention:", issue)
    if args.check and (stale or issues):
        print("run: python scripts/stamp_notebooks.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
