"""Autograde, score, validate, give feedback and export grades, in an nbgrader course directory.

A course directory follows nbgrader's layout: ``submitted/<student>/<assignment>/<nb>.ipynb``
in, ``autograded/`` and ``feedback/`` out, the gradebook in ``gradebook.db``. The source
notebooks stay in the repository's ``solutions/`` (nbgrader's ``source_directory`` points there).

Before grading an assignment we always run ``generate_assignment`` into ``<course>/release``:
autograde restores every locked cell (the hidden tests included) from the *gradebook*, not from
``solutions/``, so this keeps the gradebook's copy of the tests in step with ``solutions/``.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import multiprocessing
import re
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from autograder import notebooks
from autograder.course import (
    Layout,
    NbgraderError,
    course_directory,
    gradebook_lock,
    load_config,
    run_converter,
)
from autograder.preprocessors import NOTE, clean_text, note_cell

#: nbgrader's exchange folder on a JupyterHub unless ``c.Exchange.root`` says otherwise.
DEFAULT_EXCHANGE = "/srv/nbgrader/exchange"

#: The grader's own records, under the course directory: how each submission was taken in,
#: and the outcome of its grading (graded, ungraded with the reason, or stopped part-way).
STATE = ".autograder"


@dataclass(frozen=True)
class CellScore:
    """One graded cell of one submission; ``score`` is None while a human has to grade it."""

    notebook: str
    grade_id: str
    points: float
    score: float | None
    kind: str  # "auto" or "manual"


@dataclass
class StudentResult:
    """The outcome of grading one student's submission of one assignment."""

    student: str
    assignment: str
    seconds: float = 0.0
    cells: list[CellScore] = field(default_factory=list)
    error: str | None = None
    details: str = ""
    #: What the grader noticed and did: renamed, unreadable or missing notebooks, restored
    #: cells, limits hit. Each one is also written at the top of the feedback.
    notes: list[str] = field(default_factory=list)
    #: A notebook could not be read or found, and its empty release was graded in its place.
    replaced: bool = False
    #: Graded by an earlier run (the submission has not changed since); not graded again.
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def auto_cells(self) -> list[CellScore]:
        return [c for c in self.cells if c.kind == "auto"]

    @property
    def auto_score(self) -> float:
        return sum(c.score or 0.0 for c in self.auto_cells)

    @property
    def auto_max(self) -> float:
        return sum(c.points for c in self.auto_cells)

    def score_of(self, grade_id: str) -> float | None:
        """The score of one cell (KeyError if the submission has no such graded cell)."""
        for cell in self.cells:
            if cell.grade_id == grade_id:
                return cell.score
        raise KeyError(grade_id)


@dataclass
class Course:
    """An nbgrader course directory whose source notebooks are ``layout.solutions``."""

    root: Path
    layout: Layout = field(default_factory=Layout)
    db_url: str | None = None
    verbose: bool = False
    #: Per-cell and per-notebook limits in CPU seconds (None: nbgrader_config.py's).
    cell_timeout: float | None = None
    notebook_timeout: float | None = None
    #: Address space a grading kernel may map beyond its imports, in MiB (None: config's).
    memory_limit_mb: int | None = None
    #: Run kernels in the bubblewrap sandbox; off only to compare or debug.
    sandbox: bool = True

    @functools.cached_property
    def coursedir(self) -> Any:
        from traitlets.config import Config

        self.root.mkdir(parents=True, exist_ok=True)
        extra = Config()
        if self.cell_timeout is not None:
            extra.SandboxedExecute.cell_cpu_limit = float(self.cell_timeout)
        if self.notebook_timeout is not None:
            extra.SandboxedExecute.notebook_cpu_limit = float(self.notebook_timeout)
        if self.memory_limit_mb is not None:
            extra.SandboxedExecute.memory_limit_mb = self.memory_limit_mb
        extra.SandboxedExecute.protected_paths = [str(p) for p in self.protected_paths]
        if not self.sandbox:
            extra.SandboxedExecute.sandbox = False
        return course_directory(
            self.root, self.layout.solutions, db_url=self.db_url, config=load_config(extra)
        )

    @property
    def limits(self) -> dict[str, Any]:
        """The limits, as keyword arguments for another Course (a worker process's)."""
        return {
            "cell_timeout": self.cell_timeout,
            "notebook_timeout": self.notebook_timeout,
            "memory_limit_mb": self.memory_limit_mb,
            "sandbox": self.sandbox,
        }

    @property
    def protected_paths(self) -> list[Path]:
        """What graded code may not read: the course directory (gradebook, other students'
        work), the solutions, the history of the repository holding them, the JupyterHub
        exchange (every student's submissions), and any folder listed in
        ``c.SandboxedExecute.protected_paths`` of nbgrader_config.py. A sandboxed kernel
        sees none of them (it sees only the Python installation and the book's library);
        they are listed so that one lying inside what it sees is hidden too."""
        config = load_config()
        paths = [self.root.resolve(), self.layout.solutions.resolve()]
        for folder in self.layout.solutions.resolve().parents:
            if (folder / ".git").exists():
                paths.append(folder / ".git")
                break
        paths.append(Path(config.Exchange.get("root", DEFAULT_EXCHANGE)))
        paths += [Path(p) for p in config.SandboxedExecute.get("protected_paths", [])]
        return list(dict.fromkeys(paths))

    def _run(self, converter: type, assignment: str, student: str = "*", **traits: Any) -> str:
        return run_converter(
            converter,
            self.coursedir,
            assignment=assignment,
            student=student,
            verbose=self.verbose,
            **traits,
        )

    def submitted(self, assignment: str) -> list[str]:
        """Students with a submission of ``assignment`` in ``submitted/``."""
        folder = self.root / "submitted"
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())

    def submit(self, student: str, assignment: str, nbs: dict[str, Any]) -> None:
        """Place notebooks (file name -> NotebookNode) as a student's submission."""
        for name, nb in nbs.items():
            notebooks.write(nb, self.root / "submitted" / student / assignment / name)

    def prepare(self, assignment: str) -> None:
        """Generate the assignment into ``release/`` so the gradebook holds its current cells.

        Skipped when nothing changed since the last run: the release folder keeps a digest of
        the source notebooks and of nbgrader_config.py, and the gradebook has the assignment.
        """
        from nbgrader.converters import GenerateAssignment

        stamp = self._release_folder() / assignment / ".autograder-source"
        digest = self._source_digest(assignment)
        self.write_formgrader_config()
        with gradebook_lock(self.db_url):  # one writer of the assignment's cells at a time
            if stamp.is_file() and stamp.read_text() == digest and self._in_gradebook(assignment):
                return
            self._run(GenerateAssignment, assignment, force=True, create_assignment=True)
        stamp.write_text(digest)

    def write_formgrader_config(self) -> Path:
        """``nbgrader_config.py`` in the course folder, unless one is there: JupyterLab's
        formgrader started in the folder then finds the gradebook and lists the assignments
        (it reads them from the source folder, here the book's ``solutions/``)."""
        path = self.root / "nbgrader_config.py"
        if not path.exists():
            coursedir = self.coursedir
            lines = [
                "# Written by `python -m autograder`: the formgrader (`jupyter lab` in this",
                "# folder) sees this course. Edit it freely; it is never overwritten.",
                "c = get_config()  # noqa: F821",
                f"c.CourseDirectory.root = {coursedir.root!r}",
                f"c.CourseDirectory.source_directory = {coursedir.source_directory!r}",
                f"c.CourseDirectory.db_url = {coursedir.db_url!r}",
            ]
            if coursedir.course_id:
                lines.append(f"c.CourseDirectory.course_id = {coursedir.course_id!r}")
            path.write_text("\n".join(lines) + "\n")
        return path

    def _release_folder(self) -> Path:
        folder = Path(self.coursedir.release_directory)
        return folder if folder.is_absolute() else self.root / folder

    def _source_digest(self, assignment: str) -> str:
        """A digest of what generate_assignment reads: the source notebooks and the config."""
        from autograder.course import CONFIG_DIR, CONFIG_FILE

        digest = hashlib.sha256()
        for path in [*self.layout.notebooks(assignment), CONFIG_DIR / CONFIG_FILE]:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()

    def _in_gradebook(self, assignment: str) -> bool:
        from nbgrader.api import Gradebook, MissingEntry

        try:
            with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
                gb.find_assignment(assignment)
        except MissingEntry:
            return False
        return True

    def release_notebooks(self, assignment: str) -> dict[str, Any]:
        """The generated release of an assignment (run :meth:`prepare` first)."""
        folder = self._release_folder()
        return {p.name: notebooks.read(p) for p in sorted((folder / assignment).glob("*.ipynb"))}

    def scores(self, assignment: str, student: str) -> list[CellScore]:
        """Every graded cell of a graded submission, in notebook order, from the gradebook."""
        from nbgrader.api import Gradebook

        cells = []
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            submission = gb.find_submission(assignment, student)
            for nb in sorted(submission.notebooks, key=lambda n: n.name):
                grades = {g.name: g for g in nb.grades}
                source = notebooks.read(self.layout.solutions / assignment / f"{nb.name}.ipynb")
                for graded in notebooks.graded_cells(source):
                    grade = grades[graded.grade_id]
                    score = grade.auto_score if graded.kind == "auto" else grade.manual_score
                    cells.append(
                        CellScore(
                            nb.name, graded.grade_id, float(grade.max_score), score, graded.kind
                        )
                    )
        return cells

    def grade_student(self, assignment: str, student: str) -> StudentResult:
        """Autograde one submission; failures are recorded in the result, never raised.

        The outcome is also written to the course's state folder (see :meth:`status`): a
        run that is stopped part-way leaves the students it had not finished marked as
        "grading", and the next run grades them again.
        """
        from nbgrader.converters import Autograde

        result = StudentResult(student, assignment)
        start = time.perf_counter()
        self._write_status(assignment, student, {"status": "grading"})
        try:
            if not (self.root / "submitted" / student / assignment).is_dir():
                raise NbgraderError(f"no submission in submitted/{student}/{assignment}")
            result.notes, result.replaced = self.take_in(assignment, student)
            with gradebook_lock(self.db_url, shared=True):  # not while another grader prepares
                log = self._run(Autograde, assignment, student, force=True, create_student=True)
            result.notes += [
                clean_text(line.split(NOTE, 1)[1].strip())
                for line in log.splitlines()
                if NOTE in line
            ]
            result.cells = self.scores(assignment, student)
        except Exception as exc:  # one broken submission must not stop the others
            result.error = clean_text(str(exc))
            result.details = getattr(exc, "details", "")
        result.seconds = time.perf_counter() - start
        self._write_status(
            assignment,
            student,
            {
                "status": "graded" if result.ok else "ungraded",
                "reason": result.error or "",
                "notes": list(dict.fromkeys(result.notes)),
                "replaced": result.replaced,
                "digest": self._submission_digest(assignment, student),
                "assignment_digest": self._source_digest(assignment),
                "score": result.auto_score if result.ok else None,
                "max_score": result.auto_max if result.ok else None,
            },
        )
        return result

    # -- the grader's own records -------------------------------------------------------------

    def _state_file(self, kind: str, assignment: str, student: str) -> Path:
        return self.root / STATE / kind / assignment / f"{student}.json"

    def status(self, assignment: str, student: str) -> dict[str, Any]:
        """The last grading outcome of a submission: ``status`` is "graded", "ungraded"
        (with a ``reason``), "grading" (a run stopped before finishing it), or "none"."""
        path = self._state_file("status", assignment, student)
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return {"status": "none"}

    def _write_status(self, assignment: str, student: str, record: dict[str, Any]) -> None:
        path = self._state_file("status", assignment, student)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, indent=1))
        tmp.replace(path)

    def _submission_digest(self, assignment: str, student: str) -> str:
        """A digest of a submission's files (what grading reads)."""
        folder = self.root / "submitted" / student / assignment
        digest = hashlib.sha256()
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest.update(str(path.relative_to(folder)).encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()

    def up_to_date(self, assignment: str, student: str) -> bool:
        """Whether this submission was graded, as it is now, by an earlier run."""
        record = self.status(assignment, student)
        return record.get("status") == "graded" and record.get("digest") == self._submission_digest(
            assignment, student
        )

    def take_in(self, assignment: str, student: str) -> tuple[list[str], bool]:
        """Make each expected notebook of a submission gradeable; return notes and whether
        a notebook was replaced by the empty release.

        - A notebook under another name (``alice_12345_fx01_exercises-1.ipynb``, as LMS
          downloads name them, or the only notebook when one is expected) is graded under
          the expected name; the file is renamed, with ``.original`` appended to the old
          name for the copy kept.
        - A notebook that cannot be read (malformed JSON, an empty file) or is missing is
          replaced by the untouched release, which scores 0, with a note at its top; an
          unreadable file is kept as ``<name>.unreadable``. nbgrader alone crashes on the
          first and gives no feedback for the second.

        Run :meth:`prepare` first. Running it again changes nothing and gives the same notes.
        """
        folder = self.root / "submitted" / student / assignment
        released = self.release_notebooks(assignment)
        intake = self._state_file("intake", assignment, student)
        try:
            record = json.loads(intake.read_text())  # what earlier runs did to these files
        except (OSError, ValueError):
            record = {"notes": [], "replaced": False}
        notes: list[str] = []
        replaced = bool(record.get("replaced"))
        for link in sorted(p for p in folder.rglob("*") if p.is_symlink()):
            # nbgrader copies a submission's other files following links, as the grader's
            # user: a link would bring in whatever it points to (the solutions, the gradebook)
            aside = self.root / STATE / "links" / assignment / student / link.relative_to(folder)
            aside.parent.mkdir(parents=True, exist_ok=True)
            link.rename(aside)
            notes.append(
                f"{link.relative_to(folder)} is a symbolic link; it was not used (moved to "
                f"{aside.relative_to(self.root)})"
            )
        for name, stub in released.items():
            path = folder / name
            if not path.exists():
                others = [p for p in sorted(folder.glob("*.ipynb")) if p.name not in released]
                stem = _normal(Path(name).stem)
                matches = [p for p in others if stem in _normal(p.stem)]
                if len(matches) != 1 and len(released) == 1 and len(others) == 1:
                    matches = others
                if len(matches) == 1:
                    found = matches[0]
                    reason = f"{found.name} was graded as {name}"
                    try:
                        nb = notebooks.read(found)
                    except Exception:
                        found.rename(path)  # unreadable: handled below under its new name
                        notes.append(reason)
                    else:
                        notebooks.write(_with_note(nb, [reason]), path)
                        found.rename(found.with_name(found.name + ".original"))
                        notes.append(reason)
                        continue
            if not path.exists():
                listing = ", ".join(p.name for p in sorted(folder.glob("*.ipynb"))) or "none"
                reason = (
                    f"no notebook named {name} was submitted (notebooks found: {listing}); "
                    "it is graded as the unanswered release, 0 points"
                )
                notebooks.write(_with_note(nbformat.from_dict(stub), [reason]), path)
                notes.append(reason)
                replaced = True
                continue
            try:
                nb = notebooks.read(path)
            except Exception as exc:
                text = path.read_bytes()
                why = "the file is empty" if not text.strip() else f"not a notebook ({exc})"
                kept = path.with_name(path.name + ".unreadable")
                reason = (
                    f"{name} could not be read: {why}. It is graded as the unanswered "
                    f"release, 0 points; the file submitted is kept as {kept.name}"
                )
                kept.write_bytes(text)
                notebooks.write(_with_note(nbformat.from_dict(stub), [reason]), path)
                notes.append(reason)
                replaced = True
                continue
        notes = [clean_text(n) for n in [*record.get("notes", []), *notes]]
        if notes != record.get("notes") or replaced != record.get("replaced"):
            intake.parent.mkdir(parents=True, exist_ok=True)
            intake.write_text(json.dumps({"notes": notes, "replaced": replaced}, indent=1))
        for extra in sorted(p.name for p in folder.glob("*.ipynb") if p.name not in released):
            notes.append(
                clean_text(f"{extra} is not a notebook of {assignment}; it was not graded")
            )
        return notes, replaced

    def autograde(
        self,
        assignments: Iterable[str],
        students: list[str] | None = None,
        jobs: int = 1,
        force: bool = False,
    ) -> list[StudentResult]:
        """Autograde each student separately; an unpreparable assignment fails its students.

        Submissions already graded as they are now (by an earlier run, even one that was
        stopped part-way) are not graded again unless ``force``: their results are read
        back, with ``skipped`` set.

        With ``jobs > 1``, students are graded in that many worker processes at once (nbgrader
        changes the working directory, so threads would not do). They share the sqlite
        gradebook, whose writes are short; sqlite's busy timeout is raised to wait for them.
        """
        results = []
        for assignment in assignments:
            wanted = students or self.submitted(assignment)
            if not force:
                done = [s for s in wanted if self.up_to_date(assignment, s)]
                results += [self._earlier(assignment, s) for s in done]
                wanted = [s for s in wanted if s not in done]
                if not wanted:
                    continue
            try:
                self.prepare(assignment)
            except NbgraderError as exc:
                results += [StudentResult(s, assignment, error=str(exc)) for s in wanted]
                continue
            if jobs > 1 and len(wanted) > 1:
                results += self._grade_in_parallel(assignment, wanted, jobs)
            else:
                results += [self.grade_student(assignment, s) for s in wanted]
        return results

    def _earlier(self, assignment: str, student: str) -> StudentResult:
        record = self.status(assignment, student)
        result = StudentResult(student, assignment, notes=list(record.get("notes", [])))
        result.skipped = True
        result.replaced = bool(record.get("replaced"))
        try:
            result.cells = self.scores(assignment, student)
        except Exception as exc:
            result.error = f"graded earlier, but its grades cannot be read: {exc}"
        return result

    def _grade_in_parallel(
        self, assignment: str, students: list[str], jobs: int
    ) -> list[StudentResult]:
        db_url = self.db_url or self.coursedir.db_url
        if db_url.startswith("sqlite") and "timeout=" not in db_url:
            db_url += ("&" if "?" in db_url else "?") + "timeout=120"
        # fork: the workers start with nbgrader already imported (spawn re-imports it in each,
        # about a second of the fixed cost per run); this process holds no open gradebook here.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(jobs, len(students)), mp_context=context) as pool:
            futures = [
                pool.submit(
                    _grade_one,
                    self.root,
                    self.layout,
                    db_url,
                    assignment,
                    s,
                    self.verbose,
                    self.limits,
                )
                for s in students
            ]
            results = []
            for student, future in zip(students, futures, strict=True):
                try:
                    results.append(future.result())
                except Exception as exc:  # the worker itself died
                    results.append(
                        StudentResult(student, assignment, error=f"worker failed: {exc!r}")
                    )
        return results

    def autograded(self, assignment: str) -> list[str]:
        """Students with an autograded submission of ``assignment``."""
        folder = self.root / "autograded"
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())

    def feedback(self, assignment: str, student: str) -> list[Path]:
        """Generate the HTML feedback of one autograded submission; return its files.

        Each test cell shows its score and failure message, not the hidden tests (the
        ``HideHiddenTests`` step that nbgrader_config.py adds to nbgrader's feedback).
        """
        from nbgrader.converters import GenerateFeedback

        self._run(GenerateFeedback, assignment, student, force=True)
        return sorted((self.root / "feedback" / student / assignment).glob("*.html"))

    def export_csv(self, output: Path, assignments: list[str] | None = None) -> list[dict]:
        """Write nbgrader's CSV export (CsvExportPlugin) to ``output``; return its rows."""
        from nbgrader.api import Gradebook
        from nbgrader.plugins import CsvExportPlugin

        plugin = CsvExportPlugin(config=self.coursedir.config)
        plugin.to = str(output)
        plugin.assignment = list(assignments or [])
        output.parent.mkdir(parents=True, exist_ok=True)
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            plugin.export(gb)
        with output.open(newline="") as fh:
            rows = list(csv.DictReader(fh))
        # what nbgrader cannot say: whether each submission was graded at all, and why not
        for row in rows:
            record = self.status(row["assignment"], row["student_id"])
            state = record.get("status", "none")
            row["status"] = {"none": "not graded by this tool"}.get(state, state)
            row["reason"] = record.get("reason", "") or "; ".join(record.get("notes", []))
            if state in ("ungraded", "grading"):
                row["score"] = row["raw_score"] = ""
                row["reason"] = row["reason"] or "grading was stopped before it finished"
        listed = {(r["assignment"], r["student_id"]) for r in rows}
        for assignment in assignments or self._assignments_with_status():
            for path in sorted((self.root / STATE / "status" / assignment).glob("*.json")):
                if (assignment, path.stem) not in listed:
                    record = self.status(assignment, path.stem)
                    rows.append(
                        {
                            "assignment": assignment,
                            "student_id": path.stem,
                            "score": "",
                            "max_score": "",
                            "status": record.get("status", "ungraded"),
                            "reason": record.get("reason", "") or "not in the gradebook",
                        }
                    )
        fields = list(dict.fromkeys(k for row in rows for k in row)) or ["assignment"]
        with output.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        return rows

    def _assignments_with_status(self) -> list[str]:
        folder = self.root / STATE / "status"
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _grade_one(
    root: Path,
    layout: Layout,
    db_url: str,
    assignment: str,
    student: str,
    verbose: bool,
    limits: dict[str, Any] | None = None,
) -> StudentResult:
    """Grade one student in a worker process."""
    course = Course(root, layout, db_url=db_url, verbose=verbose, **(limits or {}))
    return course.grade_student(assignment, student)


def _normal(name: str) -> str:
    """A file-name stem for matching: lower case, runs of separators as one underscore."""
    return re.sub(r"[\s_\-.]+", "_", name.lower())


def _with_note(nb: Any, notes: list[str]) -> Any:
    """``nb`` with a note cell at its top (made nbformat 4.5, whose cells have ids)."""
    if nb.get("nbformat_minor", 0) < 5:
        nb.nbformat_minor = 5
        for index, cell in enumerate(nb.cells):
            cell.setdefault("id", f"cell-{index}")
    nb.cells.insert(0, note_cell(notes))  # shown in the feedback; never read back
    return nb


# ---------------------------------------------------------------------------------------------
# validate: the solution earns every autograded point, the untouched release earns none


@dataclass
class Validation:
    """Solution and stub grading of one assignment, and what was wrong with it."""

    assignment: str
    solution: StudentResult
    stub: StudentResult
    prepare_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_scores(solution: StudentResult, stub: StudentResult) -> list[str]:
    """Violations: a solution below full marks, or a stub above zero, on an autograded cell."""
    problems = [
        f"{r.student} submission could not be graded: {r.error}"
        for r in (solution, stub)
        if not r.ok
    ]
    if problems:
        return problems
    if not solution.auto_cells:
        problems.append("no autograded cells")
    stub_scores = {c.grade_id: c.score for c in stub.auto_cells}
    for cell in solution.auto_cells:
        if cell.score != cell.points:
            problems.append(f"{cell.grade_id}: solution scores {cell.score} of {cell.points}")
        if stub_scores.get(cell.grade_id) != 0:
            problems.append(f"{cell.grade_id}: stub scores {stub_scores.get(cell.grade_id)}, not 0")
    return problems


def solution_submission(course: Course, assignment: str) -> dict[str, Any]:
    """The generated release with every solution cell filled in from ``solutions/``."""
    return {
        name: notebooks.fill_solutions(
            nb, notebooks.read(course.layout.solutions / assignment / name)
        )
        for name, nb in course.release_notebooks(assignment).items()
    }


def validate(
    layout: Layout, assignments: list[str], workdir: Path | None = None, verbose: bool = False
) -> list[Validation]:
    """Autograde a solution-filled and an untouched release of each assignment, and check them.

    Runs the real autograde path (hidden tests restored from the gradebook) in a temporary
    course directory, or in ``workdir`` if given (it is kept, for inspection).
    """
    with tempfile.TemporaryDirectory(prefix="autograder-validate-") as tmp:
        course = Course(Path(workdir or tmp), layout, verbose=verbose)
        reports = []
        for assignment in assignments:
            start = time.perf_counter()
            try:
                course.prepare(assignment)
            except NbgraderError as exc:
                failed = [
                    StudentResult(s, assignment, error=str(exc)) for s in ("solution", "stub")
                ]
                reports.append(Validation(assignment, *failed, problems=[str(exc)]))
                continue
            course.submit("solution", assignment, solution_submission(course, assignment))
            course.submit("stub", assignment, course.release_notebooks(assignment))
            prepared = time.perf_counter() - start
            solution = course.grade_student(assignment, "solution")
            stub = course.grade_student(assignment, "stub")
            problems = check_scores(solution, stub) + authors_errors(course, assignment)
            reports.append(Validation(assignment, solution, stub, prepared, problems))
        return reports


def authors_errors(course: Course, assignment: str) -> list[str]:
    """The test cells the grader found broken (no grader-side checks, a hidden part that
    raised) in the solution's graded notebooks, with the grader's message."""
    found = []
    for path in sorted((course.root / "autograded" / "solution" / assignment).glob("*.ipynb")):
        for cell in notebooks.read(path).cells:
            record = cell.get("metadata", {}).get("autograder") or {}
            if record.get("author_error"):
                found.append(f"{notebooks.grade_id(cell)}: {record.get('message', '')}")
    return found
