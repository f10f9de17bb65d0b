"""A PostgreSQL gradebook: the instructors' command line against a real server.

SQLite (``COURSE_DIR/gradebook.db``) stays the default; ``--db URL`` points ``autograde``,
``feedback`` and ``export`` at any SQLAlchemy URL. Here a throwaway PostgreSQL server is
started from the Debian binaries (``apt-get install postgresql``; the driver is
``psycopg2-binary``) in a temporary directory. It listens on a unix socket in that directory
only (no TCP), runs as the ``postgres`` system user when the tests run as root (``initdb``
refuses root) and is stopped, and its data removed, after the tests. Missing binaries FAIL
the tests with what to install: CI installs them.

The class is the fixture assignment ``fx01``: alice submits the solution, bob the untouched
release, carol a wrong answer. It is graded once with SQLite and once with PostgreSQL, through
``python -m autograder``, and the two gradebooks must agree cell by cell; then two graders
start at the same moment on one new database.
"""

from __future__ import annotations

import csv
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from test_grading import SUITES, _ok, wrong_answers

from autograder import grading, notebooks

ROOT = Path(__file__).resolve().parent.parent
SUITE = SUITES["fixture"]
ASSIGNMENT = "fx01"
WRONG = wrong_answers(SUITE, ASSIGNMENT)[0]  # carol's answer
INSTALL = (
    "install the PostgreSQL server and driver: `apt-get install postgresql` (Debian/Ubuntu) "
    "and `pip install psycopg2-binary==2.9.13`, or set POSTGRES_BIN to the folder holding "
    "initdb and pg_ctl"
)
#: What a gradebook failure leaves on stderr (SQLAlchemy rolls back, the driver raises).
DB_ERRORS = ("psycopg2", "sqlalchemy.exc", "Rolling back session", "IntegrityError")

Grades = dict[str, dict[str, float | None]]  # student -> grade_id -> autograded score


# ---------------------------------------------------------------------------------------------
# a throwaway PostgreSQL server


def postgres_bin() -> Path:
    """The folder of ``initdb`` and ``pg_ctl``: $POSTGRES_BIN, Debian's newest, or PATH."""
    candidates = []
    if os.environ.get("POSTGRES_BIN"):
        candidates.append(Path(os.environ["POSTGRES_BIN"]))
    debian = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(debian, key=lambda p: int(re.sub(r"\D", "", p.parent.name) or 0))[::-1]
    if shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    pytest.fail(f"no PostgreSQL server binaries (initdb, pg_ctl) found: {INSTALL}")


@dataclass
class Server:
    """A running PostgreSQL server on a unix socket in ``folder``; superuser ``grader``."""

    folder: Path
    bindir: Path
    runas: list[str]
    user: str = "grader"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run a server binary as the server's owner; fail with its output if it fails."""
        result = subprocess.run(
            [*self.runas, str(self.bindir / args[0]), *args[1:]],
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check and result.returncode != 0:
            log = self.log.read_text()[-3000:] if self.log.exists() else ""
            pytest.fail(f"{' '.join(args[:2])} failed: {_ok(result)}\n{log}")
        return result

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of a database, over the unix socket."""
        return f"postgresql+psycopg2://{self.user}@/{database}?host={self.folder}"

    def sql(self, query: str, database: str = "postgres") -> list[tuple]:
        """Run one statement (autocommit) and return its rows."""
        import psycopg2

        conn = psycopg2.connect(host=str(self.folder), user=self.user, dbname=database)
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(query)
                return cur.fetchall() if cur.description else []
        finally:
            conn.close()

    def create_database(self, name: str) -> str:
        """A new empty database; return its URL."""
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """Start a PostgreSQL server for this module; stop it and delete its files afterwards."""
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        pytest.fail(f"the PostgreSQL driver psycopg2 is not installed: {INSTALL}")
    bindir = postgres_bin()
    owner = None
    if os.geteuid() == 0:  # initdb refuses root: the server runs as the postgres user
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail(
                f"running as root, and there is no `postgres` user for the server: {INSTALL}"
            )
        if not shutil.which("runuser"):
            pytest.fail(
                "running as root, and there is no `runuser` (util-linux) to become postgres"
            )
    # in /tmp: a short socket path (at most 107 bytes), and one the postgres user can reach
    folder = Path(tempfile.mkdtemp(prefix="pgtest-", dir="/tmp" if Path("/tmp").is_dir() else None))
    pg = Server(folder, bindir, [])
    if owner is not None:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        pg.runas = ["runuser", "-u", "postgres", "--"]
    data = str(folder / "data")
    options = f"-c listen_addresses='' -k {folder} -c fsync=off -c synchronous_commit=off"
    try:
        pg.run("initdb", "-D", data, "-U", pg.user, "--auth=trust", "-E", "UTF8", "--no-sync")
        pg.run("pg_ctl", "start", "-w", "-t", "60", "-D", data, "-l", str(pg.log), "-o", options)
        yield pg
    finally:
        if (folder / "data" / "postmaster.pid").exists():
            pg.run("pg_ctl", "stop", "-w", "-m", "immediate", "-D", data, check=False)
        shutil.rmtree(folder, ignore_errors=True)


def test_server_listens_on_its_socket_only(server):
    """The throwaway server takes no TCP connections: nothing outside the test can reach it."""
    assert server.sql("SHOW listen_addresses") == [("",)]
    assert server.sql("SHOW unix_socket_directories") == [(str(server.folder),)]


# ---------------------------------------------------------------------------------------------
# the class, graded with SQLite and with PostgreSQL


def auto_points() -> dict[str, float]:
    """Points of each autograded cell of fx01, from its source notebooks."""
    return {
        c.grade_id: c.points
        for p in SUITE.layout.notebooks(ASSIGNMENT)
        for c in notebooks.graded_cells(notebooks.read(p))
        if c.kind == "auto"
    }


def submissions() -> dict[str, dict[str, nbformat.NotebookNode]]:
    """The class: alice submits the solution-filled release, bob the untouched release,
    carol the solution with the fixture's first wrong answer."""
    release = {
        p.name: notebooks.read(p) for p in (SUITE.layout.exercises / ASSIGNMENT).glob("*.ipynb")
    }
    solved = {
        name: notebooks.fill_solutions(
            nb, notebooks.read(SUITE.layout.solutions / ASSIGNMENT / name)
        )
        for name, nb in release.items()
    }
    wrong = WRONG["cell"], WRONG["source"]
    return {
        "alice": solved,
        "bob": release,
        "carol": {name: notebooks.replace_cell(nb, *wrong) for name, nb in solved.items()},
    }


def expected_grades() -> Grades:
    """Each student's score per autograded cell: full marks, except the cells that carol's
    wrong answer fails, and nothing for the untouched release."""
    points = auto_points()
    return {
        "alice": dict(points),
        "bob": dict.fromkeys(points, 0.0),
        "carol": {c: 0.0 if c in WRONG["fails"] else full for c, full in points.items()},
    }


def gradebook_grades(db_url: str) -> Grades:
    """Autograded score per student and autograded cell, read with nbgrader's own Gradebook."""
    from nbgrader.api import Gradebook

    grades: Grades = {}
    cells = auto_points()
    with Gradebook(db_url) as gb:
        for submission in gb.assignment_submissions(ASSIGNMENT):
            grades[submission.student_id] = {
                g.name: g.auto_score
                for nb in submission.notebooks
                for g in nb.grades
                if g.name in cells
            }
    return grades


def feedback_scores(root: Path) -> dict[str, str]:
    """The score line of each student's feedback page ("Score: 3.0 / 4.0")."""
    scores = {}
    for page in sorted((root / "feedback").glob(f"*/{ASSIGNMENT}/*.html")):
        found = re.search(r"Score: [\d.]+ / [\d.]+", page.read_text())
        scores[page.parent.parent.name] = found.group(0) if found else ""
    return scores


def csv_rows(path: Path) -> dict[str, tuple[str, ...]]:
    """student -> (raw score, score, max score) of nbgrader's CSV export."""
    with path.open(newline="") as fh:
        return {
            r["student_id"]: (r["raw_score"], r["score"], r["max_score"])
            for r in csv.DictReader(fh)
            if r["assignment"] == ASSIGNMENT
        }


@dataclass
class Graded:
    """The same class graded twice: ``lite`` with SQLite, ``pg`` with PostgreSQL."""

    lite: Path
    pg: Path
    url: str
    runs: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)
    grades: dict[str, Grades] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def cli(self, step: str, *args: str) -> subprocess.CompletedProcess:
        start = time.perf_counter()
        self.runs[step] = SUITE.cli(*args)
        self.seconds[step] = time.perf_counter() - start
        return self.runs[step]


def new_class(root: Path, students: tuple[str, ...] = ("alice", "bob", "carol")) -> Path:
    """A course directory holding these students' submissions of fx01."""
    course = grading.Course(root, SUITE.layout)
    for student, nbs in submissions().items():
        if student in students:
            course.submit(student, ASSIGNMENT, nbs)
    return root


@pytest.fixture(scope="module")
def graded(server, tmp_path_factory) -> Graded:
    """Grade the class with SQLite, then with PostgreSQL (--jobs 2, then again with one job),
    then give feedback and export from PostgreSQL."""
    g = Graded(
        new_class(tmp_path_factory.mktemp("sqlite")),
        new_class(tmp_path_factory.mktemp("postgres")),
        server.create_database("gradebook"),
    )
    g.cli("sqlite autograde", "autograde", str(g.lite))
    g.grades["sqlite"] = gradebook_grades(f"sqlite:///{g.lite / 'gradebook.db'}")
    grading.Course(g.lite, SUITE.layout).export_csv(g.lite / "grades.csv")

    pg = str(g.pg)
    g.cli("autograde --jobs 2", "autograde", pg, "--jobs", "2", "--db", g.url)
    g.grades["--jobs 2"] = gradebook_grades(g.url)
    g.cli("autograde again", "autograde", pg, "--db", g.url)
    g.grades["again"] = gradebook_grades(g.url)
    g.cli("feedback", "feedback", pg, "--db", g.url)
    g.cli("export", "export", pg, "--db", g.url, "--output", str(g.pg / "grades.csv"))
    print("\n" + ", ".join(f"{k} {v:.1f} s" for k, v in g.seconds.items()))
    return g


def test_sqlite_stays_the_default(graded):
    assert graded.runs["sqlite autograde"].returncode == 0, _ok(graded.runs["sqlite autograde"])
    assert (graded.lite / "gradebook.db").is_file()
    assert graded.grades["sqlite"] == expected_grades()


def test_postgres_grades_equal_sqlite_grades(graded, server):
    """``autograde --jobs 2 --db postgresql+psycopg2://...``: two worker processes write to
    the server with no gradebook error, and every cell scores what it scores with SQLite."""
    run = graded.runs["autograde --jobs 2"]
    assert run.returncode == 0, _ok(run)
    assert "ERROR" not in run.stdout
    for error in DB_ERRORS:
        assert error not in run.stderr, _ok(run)
    assert graded.grades["--jobs 2"] == graded.grades["sqlite"] == expected_grades()
    # the grades are in the server, not in a gradebook.db beside the course
    assert not (graded.pg / "gradebook.db").exists()
    students = server.sql("SELECT student_id FROM submitted_assignment", "gradebook")
    assert sorted(s for (s,) in students) == sorted(expected_grades())


def test_autograde_again_gives_the_same_grades(graded, server):
    run = graded.runs["autograde again"]
    assert run.returncode == 0, _ok(run)
    for error in DB_ERRORS:
        assert error not in run.stderr, _ok(run)
    assert graded.grades["again"] == graded.grades["--jobs 2"]
    # one submission per student still, not a second set of rows
    (count,) = server.sql("SELECT count(*) FROM submitted_assignment", "gradebook")
    assert count == (len(expected_grades()),)


def test_feedback_and_export_read_the_postgres_gradebook(graded):
    for step in ("feedback", "export"):
        assert graded.runs[step].returncode == 0, f"{step}: " + _ok(graded.runs[step])
    exported = csv_rows(graded.pg / "grades.csv")
    assert exported == csv_rows(graded.lite / "grades.csv")
    for student, cells in expected_grades().items():
        assert float(exported[student][0]) == sum(cells.values()), student
    # each feedback page shows the student's score from the gradebook
    assert feedback_scores(graded.pg) == {
        student: f"Score: {float(raw):.1f} / {float(most):.1f}"
        for student, (raw, _, most) in exported.items()
    }


def test_two_graders_at_once(server, tmp_path):
    """Two instructors, each with a course directory and a part of the class, grade at the
    same moment into one new (empty) database on the server: both succeed, and the gradebook
    holds the grades that SQLite gives (test_sqlite_stays_the_default)."""
    url = server.create_database("two_graders")
    halves = [("alice",), ("carol",)]
    procs = []
    for n, half in enumerate(halves):
        root = new_class(tmp_path / f"grader{n}", half)
        args = ["autograde", str(root), "--db", url, "--student", *half]
        procs.append(
            subprocess.Popen(
                _command(args),
                cwd=ROOT,
                env=_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, f"exit {proc.returncode}\n{out}\n{err}"
        for error in DB_ERRORS:
            assert error not in err, f"{out}\n{err}"
    wanted = {s: expected_grades()[s] for half in halves for s in half}
    assert gradebook_grades(url) == wanted


def _command(args: list[str]) -> list[str]:
    """``python -m autograder`` on the fixture suite, as test_grading.Suite.cli runs it."""
    layout = [
        "--solutions",
        str(SUITE.layout.solutions),
        "--exercises",
        str(SUITE.layout.exercises),
    ]
    return [sys.executable, "-m", "autograder", *layout, *args]


def _env() -> dict[str, str]:
    """The environment with this interpreter's bin first on PATH (nbgrader runs alembic)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env
