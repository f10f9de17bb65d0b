"""Generate the student release (``exercises/``) from the source notebooks (``solutions/``).

nbgrader's ``generate_assignment`` writes into a temporary directory, with its gradebook in
another temporary directory, so no ``.db`` lands in the repository and a release that leaks
solution or hidden-test text never reaches ``exercises/``. Only a checked release replaces the
committed one.

Determinism: nbgrader's output depends only on the source (checksums are hashes of cell
contents; outputs are cleared). The one volatile thing is a cell id that nbformat invents for a
source cell without one; :func:`normalise` replaces such ids with ids derived from the source.
"""

from __future__ import annotations

import filecmp
import hashlib
import shutil
import tempfile
from pathlib import Path

from autograder import notebooks
from autograder.course import Layout, course_directory, load_config, run_converter


class LeakError(RuntimeError):
    """The generated release contains solution or hidden-test text."""


def stubs() -> list[str]:
    """The texts nbgrader puts in place of solutions (they may look like solution lines)."""
    config = load_config()
    code = dict(config.ClearSolutions.get("code_stub", {}))
    text = config.ClearSolutions.get("text_stub", "YOUR ANSWER HERE")
    return [*code.values(), "# YOUR CODE HERE\nraise NotImplementedError()", text]


def normalise(release_nb: Path, source_nb: Path) -> None:
    """Give every cell of the release the id of its source cell, or a stable one."""
    release, source = notebooks.read(release_nb), notebooks.read(source_nb)
    if len(release.cells) != len(source.cells):
        raise RuntimeError(f"{release_nb}: nbgrader added or removed cells; cannot normalise")
    if release.nbformat_minor < 5:
        return
    changed = False
    for index, (cell, original) in enumerate(zip(release.cells, source.cells, strict=True)):
        wanted = (
            original.get("id")
            or hashlib.sha1(
                f"{index}:{notebooks.grade_id(original)}:{original.source}".encode()
            ).hexdigest()[:12]
        )
        if cell.get("id") != wanted:
            cell["id"] = wanted
            changed = True
    if changed:
        notebooks.write(release, release_nb)


def generate(layout: Layout, assignments: list[str], dest: Path, verbose: bool = False) -> None:
    """Run nbgrader generate_assignment for each assignment into ``dest/<assignment>``."""
    from nbgrader.converters import GenerateAssignment

    with tempfile.TemporaryDirectory(prefix="autograder-gradebook-") as tmp:
        coursedir = course_directory(Path(tmp), layout.solutions, release=dest)
        for assignment in assignments:
            run_converter(
                GenerateAssignment, coursedir, assignment=assignment, verbose=verbose, force=True
            )
            for source_nb in layout.notebooks(assignment):
                normalise(dest / assignment / source_nb.name, source_nb)


def leaks(layout: Layout, assignment: str, release_dir: Path) -> list[str]:
    """Every leak of solution or hidden-test text into one assignment's release."""
    found = []
    for source_nb in layout.notebooks(assignment):
        release_nb = release_dir / assignment / source_nb.name
        if not release_nb.exists():
            found.append(f"{release_nb}: missing from the release")
            continue
        problems = notebooks.find_leaks(
            notebooks.read(release_nb), notebooks.read(source_nb), stubs()
        )
        found.extend(f"{assignment}/{release_nb.name}: {p}" for p in problems)
    return found


def build(layout: Layout, assignments: list[str], dest: Path, verbose: bool = False) -> None:
    """Generate the release into ``dest`` and raise LeakError if it leaks anything."""
    generate(layout, assignments, dest, verbose=verbose)
    problems = [p for a in assignments for p in leaks(layout, a, dest)]
    if problems:
        raise LeakError("the release leaks instructor-only text:\n  " + "\n  ".join(problems))


def _files(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    return {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts
    }


def differences(expected: Path, actual: Path) -> list[str]:
    """Relative paths that differ between two release trees (missing, extra or changed)."""
    want, have = _files(expected), _files(actual)
    diffs = [f"{p} (missing)" for p in sorted(want - have)]
    diffs += [f"{p} (not generated from solutions/)" for p in sorted(have - want)]
    diffs += [
        f"{p} (differs)"
        for p in sorted(want & have)
        if not filecmp.cmp(expected / p, actual / p, shallow=False)
    ]
    return diffs


def stale(layout: Layout) -> list[str]:
    """Assignment folders in ``exercises/`` that have no source in ``solutions/``."""
    if not layout.exercises.is_dir():
        return []
    known = set(layout.assignments())
    return sorted(
        p.name
        for p in layout.exercises.iterdir()
        if p.is_dir() and not p.name.startswith(".") and p.name not in known
    )


def release(layout: Layout, assignments: list[str], verbose: bool = False) -> list[str]:
    """Regenerate ``exercises/<assignment>`` for each assignment; return the files written."""
    with tempfile.TemporaryDirectory(prefix="autograder-release-") as tmp:
        fresh = Path(tmp)
        build(layout, assignments, fresh, verbose=verbose)
        written = []
        for assignment in assignments:
            target = layout.exercises / assignment
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(fresh / assignment, target)
            written += [str(target / f) for f in sorted(_files(target))]
    return written


def check(layout: Layout, assignments: list[str], verbose: bool = False) -> list[str]:
    """Differences between the committed release and a fresh one (empty when up to date)."""
    with tempfile.TemporaryDirectory(prefix="autograder-check-") as tmp:
        fresh = Path(tmp)
        build(layout, assignments, fresh, verbose=verbose)
        diffs = []
        for assignment in assignments:
            found = differences(fresh / assignment, layout.exercises / assignment)
            diffs += [f"{layout.exercises.name}/{assignment}/{d}" for d in found]
        return diffs
