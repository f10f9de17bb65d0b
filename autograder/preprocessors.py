"""nbgrader preprocessors of our own, named in ``autograder/nbgrader_config.py``.

- :class:`RestoreFromSource` (sanitize step): the notebook that is graded is rebuilt from the
  assignment, with the student's answers and own cells put in; nothing in the student's
  file can change which cells are graded, how many points they carry, or what they test.
- :class:`SandboxedExecute` (autograde step): runs it with :class:`autograder.execute.NotebookRun`.
- :class:`HideHiddenTests` and :class:`SanitizeFeedback` (feedback step): the feedback shows
  scores and failure messages, never hidden tests, and none of the student's HTML or
  JavaScript runs in the reader's browser.
"""

from __future__ import annotations

import ast
import base64
import binascii
import html
import re
import secrets
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Float, Integer, List, Unicode

from autograder.execute import RunLimits, RunSettings, cell_kind, error_output
from autograder.kernel import OutputCaps

#: Prefix of the log lines that become notes in the command line's report.
NOTE = "autograder note:"
#: Cell ids the grader gives its own cells; a student's cell with such an id gets another.
OWN_ID = "autograder-"

_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean_text(text: str) -> str:
    """One line safe for a terminal, a log or a note: no escape sequences, and every control
    character (newlines and tabs included) made a space."""
    return _CONTROL.sub(" ", _ESCAPES.sub("", str(text)))


def note_cell(notes: list[str]) -> NotebookNode:
    """A markdown cell, without nbgrader metadata, that lists the grader's notes."""
    lines = "\n".join(f"- {html.escape(clean_text(n))}" for n in notes)
    text = "**Notes from the autograder**\n\n" + lines
    return nbformat.v4.new_markdown_cell(text, id=f"{OWN_ID}notes-{secrets.token_hex(4)}")


def _meta(cell: NotebookNode) -> dict:
    m = cell.get("metadata", {}).get("nbgrader")
    return m if isinstance(m, dict) else {}


# ---------------------------------------------------------------------------------------------
# sanitize: the graded notebook, rebuilt from the assignment


class RestoreFromSource(NbGraderPreprocessor):
    """Rebuild the submitted notebook from the assignment; keep only what the student owns.

    The graded notebook is the release's sequence of nbgrader cells, each with the release's
    metadata: read-only cells and test cells with their source from the gradebook (hidden
    tests included), answer cells with the student's text. The student's own cells (those
    without nbgrader metadata) stay where they were, after the nbgrader cell they followed.
    A copied, pasted, retyped or unknown nbgrader cell becomes an ordinary cell of the
    student (its code still runs; it is not graded); a deleted cell is put back. Every
    change is noted in the log and in a cell at the top of the graded notebook.
    """

    release_directory = Unicode(
        "", help="the generated release (default: <course>/release/<assignment>)"
    ).tag(config=True)

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        release = notebooks_read(self._release_path(resources))
        with Gradebook(info["db_url"]) as gb:
            stored = gb.find_notebook(info["notebook"], info["assignment"])
            sources = {c.name: (c.source, c.cell_type) for c in stored.source_cells}
        rebuilt, notes = rebuild(nb, release, sources)
        for note in notes:
            self.log.warning(f"{NOTE} {info['notebook']}: {clean_text(note)}")
        if notes:
            rebuilt.cells.insert(0, note_cell(notes))
        return rebuilt, resources

    def _release_path(self, resources: ResourcesDict) -> Path:
        info = resources["nbgrader"]
        name = f"{info['notebook']}.ipynb"
        if self.release_directory:
            return Path(self.release_directory) / info["assignment"] / name
        submitted = Path(resources["metadata"]["path"])  # <course>/submitted/<student>/<assignment>
        return submitted.parents[2] / "release" / info["assignment"] / name


def notebooks_read(path: Path) -> NotebookNode:
    return nbformat.read(str(path), as_version=4)


def rebuild(
    submitted: NotebookNode, release: NotebookNode, sources: dict[str, tuple[str, str]]
) -> tuple[NotebookNode, list[str]]:
    """The graded notebook (see :class:`RestoreFromSource`) and what was changed."""
    notes: list[str] = []
    skeleton = [c for c in release.cells if _meta(c).get("grade_id")]
    by_id = {_meta(c)["grade_id"]: c for c in skeleton}
    answers: dict[str, NotebookNode] = {}
    seen: set[str] = set()
    after: dict[str | None, list[NotebookNode]] = {}
    anchor: str | None = None
    for cell in submitted.cells:
        gid = _meta(cell).get("grade_id")
        if isinstance(gid, str) and gid in by_id and gid not in seen:
            original = by_id[gid]
            seen.add(gid)
            if cell.get("cell_type") != original.cell_type:
                notes.append(
                    f"cell {gid} was changed from {original.cell_type} to {cell.get('cell_type')}; "
                    "the original was put back"
                    + (
                        " and the answer in it is not graded"
                        if _meta(original).get("solution")
                        else ""
                    )
                )
                after.setdefault(gid, []).append(_own(cell))
            elif _meta(original).get("solution"):
                answers[gid] = cell
            elif _visible_lines(cell.get("source", "")) != _visible_lines(original.source):
                notes.append(f"read-only cell {gid} was edited; the original was put back")
            anchor = gid
            continue
        if "nbgrader" in cell.get("metadata", {}):
            if isinstance(gid, str) and gid in seen:
                notes.append(f"cell {gid} appears more than once; only the first counts")
            elif isinstance(gid, str) and gid:
                notes.append(f"cell {_short(gid)} is not part of this assignment; it is not graded")
            elif _meta(cell) or cell["metadata"]["nbgrader"]:
                notes.append("a cell's grading information was edited; it is not graded")
        after.setdefault(anchor, []).append(_own(cell))
    cells: list[NotebookNode] = list(after.get(None, []))
    for original in skeleton:
        gid = _meta(original)["grade_id"]
        cell = nbformat.from_dict(original)
        if gid not in seen:
            notes.append(f"cell {gid} was deleted; it was put back")
        if _meta(original).get("solution"):
            if gid in answers:
                cell.source = answers[gid].get("source", "")
        elif gid in sources:
            cell.source = sources[gid][0]  # the gradebook's copy: the hidden tests are there
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
        cells.extend(after.get(gid, []))
    rebuilt = nbformat.v4.new_notebook(cells=cells, metadata=_notebook_metadata(release))
    _unique_ids(rebuilt)
    return rebuilt, notes


def _own(cell: NotebookNode) -> NotebookNode:
    """A student's cell, as an ordinary cell: no nbgrader metadata, no outputs."""
    kind = cell.get("cell_type") if cell.get("cell_type") in ("code", "markdown", "raw") else "raw"
    text = cell.get("source", "")
    text = "".join(text) if isinstance(text, list) else str(text)
    if kind == "code":
        return nbformat.v4.new_code_cell(text)
    if kind == "markdown":
        return nbformat.v4.new_markdown_cell(text)
    return nbformat.v4.new_raw_cell(text)


def _visible_lines(source: Any) -> list[str]:
    from autograder.verdicts import split

    text = "".join(source) if isinstance(source, list) else str(source)
    return [line.rstrip() for line in split(text)[0].split("\n") if line.strip()]


def _short(text: str) -> str:
    return clean_text(text)[:60]


def _notebook_metadata(release: NotebookNode) -> dict:
    return {
        k: release.metadata[k] for k in ("kernelspec", "language_info") if k in release.metadata
    }


def _unique_ids(nb: NotebookNode) -> None:
    used: set[str] = set()
    for cell in nb.cells:
        cid = str(cell.get("id", ""))
        if not cid or cid in used or (cid.startswith(OWN_ID) and "notes" in cid):
            cid = f"cell-{secrets.token_hex(4)}"
        used.add(cid)
        cell["id"] = cid


# ---------------------------------------------------------------------------------------------
# autograde: run in a sandbox, judge in the grader


class SandboxedExecute(NbGraderPreprocessor):
    """Run the notebook with :class:`autograder.execute.NotebookRun` (see that module)."""

    cell_cpu_limit = Float(60.0, help="CPU seconds a cell may use").tag(config=True)
    cell_wall_limit = Float(300.0, help="wall-clock seconds a cell may take (a backstop)").tag(
        config=True
    )
    notebook_cpu_limit = Float(600.0, help="CPU seconds a whole notebook may use").tag(config=True)
    notebook_wall_limit = Float(1800.0, help="wall-clock seconds for a whole notebook").tag(
        config=True
    )
    memory_limit_mb = Integer(4096, help="address space a kernel may map beyond its imports").tag(config=True)  # fmt: skip
    max_output_bytes = Integer(100_000, help="text a cell may print, in bytes").tag(config=True)
    max_display_bytes = Integer(2_000_000, help="figures and HTML a cell may show").tag(config=True)
    sandbox = Bool(True, help="run kernels in bubblewrap (off: only to compare)").tag(config=True)
    protected_paths = List(Unicode(), help="folders a kernel must not see").tag(config=True)
    startup_timeout = Float(120.0, help="seconds a kernel may take to start").tag(config=True)

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        from autograder import sandbox
        from autograder.execute import NotebookRun

        settings = RunSettings(
            limits=RunLimits(
                cell_cpu=self.cell_cpu_limit,
                cell_wall=self.cell_wall_limit,
                notebook_cpu=self.notebook_cpu_limit,
                notebook_wall=self.notebook_wall_limit,
                caps=OutputCaps(self.max_output_bytes, self.max_display_bytes),
            ),
            kernel=sandbox.Limits(memory_mb=self.memory_limit_mb),
            sandbox=self.sandbox,
            protected=tuple(self.protected_paths),
            startup_timeout=self.startup_timeout,
        )
        path = resources.get("metadata", {}).get("path")
        run = NotebookRun(nb, settings, files=Path(path) if path else None, log=self.log)
        notes = [clean_text(n) for n in run.run()]
        for note in notes:
            self.log.warning(f"{NOTE} {note}")
        if notes:  # the student reads them at the top of the feedback, beside the others
            first = nb.cells[0] if nb.cells else None
            if first is not None and str(first.get("id", "")).startswith(f"{OWN_ID}notes-"):
                first.source += "\n" + "\n".join(f"- {html.escape(n)}" for n in notes)
            else:
                nb.cells.insert(0, note_cell(notes))
        return nb, resources


# ---------------------------------------------------------------------------------------------
# feedback: no hidden tests, nothing of the student's that runs in a browser

HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"


def _lines(source: str) -> list[tuple[bool, str]]:
    """Each line of a cell's source but the markers, with whether it is a hidden-test line."""
    lines, inside = [], False
    for line in source.split("\n"):
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        else:
            lines.append((inside, line))
    return lines


def hidden_lines(source: str) -> list[str]:
    """The stripped, non-empty lines between the hidden-test markers of a cell's source."""
    return [line.strip() for hidden, line in _lines(source) if hidden and line.strip()]


def hidden_code(source: str) -> list[str]:
    """The hidden lines of a cell that are code a student must never read in feedback: long
    enough to be specific, and not only a string (the text of a failure message, which the
    grader shows) or punctuation. A line whose text the hidden part also writes into a
    string (a message that describes the call it made: "model.eval(); model[0].train()") is
    shown on purpose, and is not counted."""
    hidden = hidden_lines(source)
    said = _strings("\n".join(line for inside, line in _lines(source) if inside))
    return [line for line in hidden if _is_code(line) and not any(line in s for s in said)]


def _strings(code: str) -> list[str]:
    """The string constants of some code, f-strings' literal parts included."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _is_code(line: str) -> bool:
    text = line.rstrip(",").strip()
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return len(text) >= 12 and any(ch.isalpha() for ch in text)
    is_message = (
        len(tree.body) == 1
        and isinstance(tree.body[0], ast.Expr)
        and isinstance(tree.body[0].value, ast.Constant | ast.JoinedStr)
    )
    return len(text) >= 12 and not is_message


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback shows a test cell's visible tests, its score and its failure message only.

    The hidden region is replaced by one comment line; the outputs (the grader's verdict) are
    reduced to the error's name and message, which the grader wrote.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if cell_kind(cell) != "test":
            return cell, resources
        kept, inside = [], False
        for line in cell.source.split("\n"):
            if HIDDEN_BEGIN in line:
                inside = True
                kept.append(
                    line[: len(line) - len(line.lstrip())]
                    + "# (the grader's own checks, not shown)"
                )
            elif HIDDEN_END in line:
                inside = False
            elif not inside:
                kept.append(line)
        cell.source = "\n".join(kept)
        cell.outputs = [
            error_output(o.get("ename", "Error"), o.get("evalue", ""))
            for o in cell.get("outputs", [])
            if o.output_type == "error"
        ]
        return cell, resources


#: Output types shown as they are: images (checked to be base64) and plain text.
_IMAGES = ("image/png", "image/jpeg", "image/gif")
_BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]*$")


class SanitizeFeedback(NbGraderPreprocessor):
    """Nothing the student wrote runs in the browser that opens the feedback.

    HTML outputs and the student's markdown are cleaned with nh3 (a maintained sanitiser:
    no scripts, no event handlers, no frames, no forms); JavaScript, SVG and unknown output
    types are shown as text; images must be base64; attachments and widget state are dropped.
    """

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        nb.metadata = NotebookNode(_notebook_metadata(nb))
        for cell in nb.cells:
            cell.pop("attachments", None)
            if cell.cell_type == "markdown" and not _meta(cell).get("locked"):
                cell.source = clean_markdown(cell.source)
            elif cell.cell_type == "code":
                cell.outputs = [clean_output(o) for o in cell.get("outputs", [])]
        return nb, resources


def clean_markdown(text: str) -> str:
    """A student's markdown, rendered and sanitised (the result is safe HTML)."""
    import nh3
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return "<div>" + nh3.clean(markdown2html_mistune(text)) + "</div>"


def clean_output(output: NotebookNode) -> NotebookNode:
    import nh3

    if output.get("output_type") not in ("display_data", "execute_result"):
        return output
    data, clean = output.get("data", {}), {}
    for mime, value in data.items():
        text = "".join(value) if isinstance(value, list) else value
        if mime in _IMAGES and isinstance(text, str) and _BASE64.match(text):
            try:
                base64.b64decode(text, validate=False)
                clean[mime] = text
            except (binascii.Error, ValueError):
                pass
        elif mime == "text/html" and isinstance(text, str):
            clean[mime] = nh3.clean(text)
        elif mime == "text/plain" and isinstance(text, str):
            clean[mime] = text
    if not clean:
        shown = data.get("text/plain") or next((v for v in data.values() if isinstance(v, str)), "")
        clean["text/plain"] = str(shown)[:10_000] or f"(output of type {', '.join(data)} not shown)"
    output.data = NotebookNode(clean)
    output.metadata = NotebookNode({})
    return output
