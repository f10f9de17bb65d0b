"""Where the assignments live, nbgrader's configuration, and running nbgrader's converters.

Why in-process and not ``nbgrader ...`` in a subprocess: nbgrader's command-line apps exit 0
when grading fails (``validate`` even when tests fail), so their exit codes cannot be trusted.
Its converters (``GenerateAssignment``, ``Autograde``, ``GenerateFeedback``) raise on failure
instead. :class:`nbgrader.apps.NbGraderAPI` wraps exactly these converters (``temp_attrs`` +
``capture_log``); we call them the same way, without ``NbGraderAPI`` itself, because its
constructor probes an exchange directory (``/srv/nbgrader/exchange``) that this course never
uses. Student code still runs in a separate kernel process, so a crashing submission cannot
take the command line down, and each student is graded by a separate converter run so one
broken submission cannot stop the others.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
import re
import sys
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

REPO_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = Path(__file__).resolve().parent
CONFIG_FILE = "nbgrader_config.py"

#: nbgrader's logger for every converter run; records go to a buffer (and to stderr if verbose).
LOG = logging.getLogger("autograder.nbgrader")
LOG.setLevel(logging.INFO)
LOG.propagate = False


@dataclass(frozen=True)
class Layout:
    """The source notebooks (``solutions/``) and the committed student release (``exercises/``)."""

    solutions: Path = REPO_ROOT / "solutions"
    exercises: Path = REPO_ROOT / "exercises"

    def assignments(self) -> list[str]:
        """Every assignment in ``solutions/``: a folder holding at least one notebook."""
        if not self.solutions.is_dir():
            return []
        return sorted(
            p.name
            for p in self.solutions.iterdir()
            if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.ipynb"))
        )

    def notebooks(self, assignment: str) -> list[Path]:
        """The source notebooks of one assignment."""
        return sorted((self.solutions / assignment).glob("*.ipynb"))

    def resolve(self, requested: list[str] | None) -> list[str]:
        """The requested assignments (default: all), or ValueError naming the unknown ones."""
        known = self.assignments()
        if not requested:
            return known
        unknown = [a for a in requested if a not in known]
        if unknown:
            raise ValueError(
                f"unknown assignment(s) {', '.join(unknown)}; "
                f"{self.solutions} has: {', '.join(known) or 'none'}"
            )
        return list(dict.fromkeys(requested))


class NbgraderError(RuntimeError):
    """An nbgrader step failed: a one-line message, and nbgrader's log and traceback."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


_EXCEPTION_LINE = re.compile(r"^(\w+\.)*\w*(Error|Exception)\b.*")


def _cause(text: str) -> str:
    """The innermost exception line of a log with tracebacks (nbgrader's wrapper excluded)."""
    lines = [line.strip() for line in text.splitlines()]
    causes = [x for x in lines if _EXCEPTION_LINE.match(x) and "NbGraderException" not in x]
    return causes[-1] if causes else next((x for x in reversed(lines) if x), "unknown error")


def ensure_bin_on_path() -> None:
    """Put this interpreter's bin directory first on PATH: nbgrader runs ``alembic`` by name."""
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if parts[0] != bindir:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


@functools.cache
def _alembic_head() -> str:
    """The gradebook schema's alembic head, read in-process (nbgrader's value, without alembic)."""
    import nbgrader.api
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    try:
        config = AlembicConfig()
        config.set_main_option("script_location", ALEMBIC_DIR)
        return ScriptDirectory.from_config(config).get_current_head()
    except Exception:
        return nbgrader.api._autograder_original_alembic_version()


def speed_up_gradebook_creation() -> None:
    """Make nbgrader read its schema version in-process instead of running ``alembic heads``.

    nbgrader's ``Gradebook`` runs ``alembic heads`` in a subprocess for every new gradebook,
    which costs 1-4 s each time (so every ``release`` and ``validate``). The value only depends
    on the installed nbgrader; on any surprise we fall back to nbgrader's own subprocess.
    """
    import nbgrader.api

    if not hasattr(nbgrader.api, "_autograder_original_alembic_version"):
        nbgrader.api._autograder_original_alembic_version = nbgrader.api.get_alembic_version
        nbgrader.api.get_alembic_version = _alembic_head


def load_config(extra: Config | None = None) -> Config:
    """The shared settings of ``autograder/nbgrader_config.py``, merged with ``extra``."""
    config = PyFileConfigLoader(CONFIG_FILE, path=str(CONFIG_DIR)).load_config()
    if extra is not None:
        config.merge(extra)
    return config


def course_directory(
    root: Path,
    solutions: Path,
    *,
    release: Path | None = None,
    db_url: str | None = None,
    config: Config | None = None,
) -> Any:
    """An nbgrader CourseDirectory rooted at ``root`` whose source is ``solutions``.

    nbgrader accepts absolute step directories: ``os.path.join(root, "/abs/solutions/...")``
    is the absolute path, so the source notebooks are read in place and never copied.
    """
    from nbgrader.coursedir import CourseDirectory

    speed_up_gradebook_creation()
    coursedir = CourseDirectory(config=config or load_config(), log=LOG)
    coursedir.root = str(Path(root).resolve())
    coursedir.source_directory = str(Path(solutions).resolve())
    if release is not None:
        coursedir.release_directory = str(Path(release).resolve())
    if db_url:
        coursedir.db_url = db_url
        if not db_url.startswith("sqlite") and not coursedir.course_id:
            # nbgrader files assignments under the course id, "" by default, and never adds
            # "" to the gradebook's course table: SQLite ignores that foreign key, PostgreSQL
            # refuses the assignment (ForeignKeyViolation on assignment_course_id_fkey).
            coursedir.course_id = "default_course"
    return coursedir


@contextlib.contextmanager
def gradebook_lock(db_url: str | None, *, shared: bool = False) -> Iterator[None]:
    """Hold the course's PostgreSQL advisory lock: exclusive to write an assignment's cells
    (``prepare``), shared to grade a student. Other gradebook URLs are not locked.

    nbgrader needs it when several graders share a server gradebook: the first one creates
    the tables, and ``generate_assignment`` deletes and re-creates an assignment's notebooks
    while no submission is recorded, so a grader starting at the same moment fails with
    DuplicateTable, a deadlock, or a ForeignKeyViolation on the notebook another grader is
    grading. Shared locks do not wait for each other: students are still graded in parallel.
    """
    if not db_url or not db_url.startswith("postgresql"):
        yield
        return
    from sqlalchemy import create_engine, text

    kind = "_shared" if shared else ""
    key = "hashtext('autograder: gradebook')"
    engine = create_engine(db_url)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"SELECT pg_advisory_lock{kind}({key})"))
            try:
                yield
            finally:
                conn.execute(text(f"SELECT pg_advisory_unlock{kind}({key})"))
    finally:
        engine.dispose()


def run_converter(
    converter_class: type,
    coursedir: Any,
    *,
    assignment: str,
    student: str = "*",
    verbose: bool = False,
    **traits: Any,
) -> str:
    """Run one nbgrader converter for one assignment (and student glob); return its log.

    Raises NbgraderError, with the log and traceback, when nbgrader reports a failure.
    """
    ensure_bin_on_path()
    speed_up_gradebook_creation()
    buffer = io.StringIO()
    handlers: list[logging.Handler] = [logging.StreamHandler(buffer)]
    if verbose:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
        LOG.addHandler(handler)
    saved = (coursedir.assignment_id, coursedir.student_id)
    coursedir.assignment_id, coursedir.student_id = assignment, student
    try:
        converter = converter_class(coursedir=coursedir, config=coursedir.config, log=LOG)
        for name, value in traits.items():
            setattr(converter, name, value)
        with warnings.catch_warnings():
            # nbgrader's gradebook code trips SQLAlchemy autoflush warnings; they are not ours.
            warnings.filterwarnings("ignore", message=".*not in session.*")
            converter.start()
    except Exception as exc:
        details = buffer.getvalue() + traceback.format_exc()
        who = f"{assignment}" if student in ("*", ".") else f"{student}/{assignment}"
        raise NbgraderError(
            f"nbgrader {converter_class.__name__} failed for {who}: {_cause(details)}", details
        ) from exc
    finally:
        coursedir.assignment_id, coursedir.student_id = saved
        for handler in handlers:
            LOG.removeHandler(handler)
    return buffer.getvalue()
