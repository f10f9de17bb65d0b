"""Collecting submissions (``python -m autograder collect``) from an exchange and LMS downloads.

The exchange and the zips are built here, with the names nbgrader's ``ExchangeSubmit``, Canvas,
Moodle and Blackboard give their files; nbgrader's own ``ExchangeCollect`` is the reference for
which exchange submission wins. One end-to-end test collects a Canvas zip and autogrades it
through the command line with the fixture assignment ``fx01``.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from test_grading import SUITES

from autograder import collect, grading, notebooks
from autograder.collect import COLLECTED, IGNORED, SUPERSEDED, UNMATCHED
from autograder.course import Layout, course_directory

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
LAYOUT = Layout(FIXTURES / "solutions", FIXTURES / "exercises")
NB = "fx01_exercises.ipynb"
EXPECTED = [NB]


def release_bytes() -> bytes:
    """The untouched student release of fx01."""
    return (LAYOUT.exercises / "fx01" / NB).read_bytes()


def solved_bytes(wrong: dict | None = None) -> bytes:
    """The release filled in with the reference solution (and optionally one wrong answer)."""
    nb = notebooks.fill_solutions(
        notebooks.read(LAYOUT.exercises / "fx01" / NB),
        notebooks.read(LAYOUT.solutions / "fx01" / NB),
    )
    if wrong is not None:
        nb = notebooks.replace_cell(nb, wrong["cell"], wrong["source"])
    return nbformat.writes(nb).encode()


def tagged(text: str) -> bytes:
    """A tiny valid notebook whose markdown says who wrote it (to tell copies apart)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
    return nbformat.writes(nb).encode()


def tag_of(path: Path) -> str:
    return nbformat.reads(path.read_text(), as_version=4).cells[0].source


def make_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def tree(course: Path) -> set[str]:
    """Every file under course/submitted, relative to it."""
    base = course / "submitted"
    return {p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()}


def statuses(report: collect.Report) -> dict[str, tuple[str, str | None]]:
    """source -> (status, student)."""
    return {i.source: (i.status, i.student) for i in report.items}


def reason(report: collect.Report, source: str) -> str:
    return next(i.reason for i in report.items if i.source == source)


# ---------------------------------------------------------------------------------------------
# exchange


def inbound_name(student: str, assignment: str, when: dt.datetime) -> tuple[str, str]:
    """(folder name, timestamp) as nbgrader's ExchangeSubmit writes them (UTC, random suffix)."""
    stamp = when.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    random = base64.urlsafe_b64encode(os.urandom(9)).decode("ascii")
    return f"{student}+{assignment}+{stamp}+{random}", stamp


def submit(
    exchange: Path, student: str, when: dt.datetime, files: dict[str, bytes], assignment="fx01"
):
    name, stamp = inbound_name(student, assignment, when)
    folder = exchange / "phys101" / "inbound" / name
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    (folder / "timestamp.txt").write_text(stamp)
    return name, stamp


T0 = dt.datetime(2026, 3, 1, 12, 0, 0, 123456)


@pytest.fixture
def exchange(tmp_path) -> tuple[Path, dict[str, str]]:
    """An exchange with several submissions per student, junk, and a stray folder."""
    root = tmp_path / "exchange"
    (root / "phys101" / "inbound").mkdir(parents=True)
    names = {}
    names["alice-old"], _ = submit(root, "alice", T0, {NB: tagged("alice 1")})
    names["alice-new"], names["alice-stamp"] = submit(
        root,
        "alice",
        T0 + dt.timedelta(hours=2),
        {NB: tagged("alice 2"), ".ipynb_checkpoints/fx01_exercises-checkpoint.ipynb": b"{}"},
    )
    names["alice-mid"], _ = submit(
        root, "alice", T0 + dt.timedelta(hours=1), {NB: tagged("alice 3")}
    )
    names["bob"], _ = submit(root, "bob", T0, {NB: b"{ not json", "data.csv": b"1,2\n"})
    names["carol-other"], _ = submit(root, "carol", T0, {NB: tagged("carol")}, assignment="fx02")
    names["dave"], _ = submit(root, "dave", T0, {"my work.ipynb": tagged("dave")})
    (root / "phys101" / "inbound" / "stray-folder").mkdir()
    return root, names


def test_exchange_latest_submission_wins(exchange, tmp_path):
    root, names = exchange
    course = tmp_path / "course"
    report = collect.collect_exchange(root, "phys101", course, "fx01", EXPECTED)
    assert tree(course) == {
        f"alice/fx01/{NB}",
        "alice/fx01/timestamp.txt",
        f"bob/fx01/{NB}",
        "bob/fx01/timestamp.txt",
        f"dave/fx01/{NB}",
        "dave/fx01/timestamp.txt",
    }
    submitted = course / "submitted"
    assert tag_of(submitted / "alice" / "fx01" / NB) == "alice 2"
    assert (submitted / "alice" / "fx01" / "timestamp.txt").read_text() == names["alice-stamp"]
    assert (
        submitted / "bob" / "fx01" / NB
    ).read_bytes() == b"{ not json"  # broken, still collected
    assert tag_of(submitted / "dave" / "fx01" / NB) == "dave"
    got = statuses(report)
    assert got[f"{names['alice-new']}/{NB}"] == (COLLECTED, "alice")
    assert got[names["alice-old"]] == (SUPERSEDED, "alice")
    assert got[names["alice-mid"]] == (SUPERSEDED, "alice")
    assert (
        got[f"{names['alice-new']}/.ipynb_checkpoints/fx01_exercises-checkpoint.ipynb"][0]
        == IGNORED
    )
    assert got[f"{names['bob']}/data.csv"] == (IGNORED, "bob"), "not a notebook: ignored"
    assert "renamed from my work.ipynb" in reason(report, f"{names['dave']}/my work.ipynb")
    assert got["stray-folder"] == (UNMATCHED, None)
    assert not any("carol" in s for s in got), "another assignment's submission is not reported"
    assert report.students == ["alice", "bob", "dave"]
    assert not report.ok


def test_exchange_picks_what_nbgrader_collect_picks(exchange, tmp_path):
    """nbgrader's own ExchangeCollect chooses the same submission for every student."""
    from nbgrader.exchange.default.collect import ExchangeCollect

    root, _ = exchange
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    collect.collect_exchange(root, "phys101", ours, "fx01", EXPECTED)
    theirs.mkdir()
    coursedir = course_directory(theirs, LAYOUT.solutions)
    coursedir.course_id, coursedir.assignment_id = "phys101", "fx01"
    nbgrader_collect = ExchangeCollect(coursedir=coursedir, authenticator=None, root=str(root))
    nbgrader_collect.check_owner = False
    nbgrader_collect.start()
    for student in ("alice", "bob", "dave"):
        mine = ours / "submitted" / student / "fx01"
        reference = theirs / "submitted" / student / "fx01"
        assert (mine / "timestamp.txt").read_text() == (reference / "timestamp.txt").read_text()
    assert (ours / "submitted" / "alice" / "fx01" / NB).read_bytes() == (
        theirs / "submitted" / "alice" / "fx01" / NB
    ).read_bytes()


def test_exchange_keeps_a_newer_collected_submission(exchange, tmp_path):
    root, names = exchange
    course = tmp_path / "course"
    collect.collect_exchange(root, "phys101", course, "fx01", EXPECTED)
    again = collect.collect_exchange(root, "phys101", course, "fx01", EXPECTED)
    assert again.students == ["alice", "bob", "dave"], "re-collecting the same is a no-op"
    later = T0 + dt.timedelta(days=1)
    (course / "submitted" / "alice" / "fx01" / "timestamp.txt").write_text(
        later.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    )
    report = collect.collect_exchange(root, "phys101", course, "fx01", EXPECTED)
    assert statuses(report)[f"{names['alice-new']}/{NB}"] == (SUPERSEDED, "alice")
    assert "newer submission" in reason(report, f"{names['alice-new']}/{NB}")


def test_inbound_names_parse_like_nbgrader():
    stamp = "2026-03-01 12:00:00.123456 UTC"
    when = dt.datetime(2026, 3, 1, 12, 0, 0, 123456)
    assert collect.parse_inbound_name(f"alice+fx01+{stamp}+AbC-_12345678") == (
        "alice",
        "fx01",
        when,
    )
    assert collect.parse_inbound_name(f"alice+fx01+{stamp}") == ("alice", "fx01", when)
    assert collect.parse_inbound_name(f"a+b+fx01+{stamp}+xyz") == ("a+b", "fx01", when)
    assert collect.parse_inbound_name("alice+fx01") is None
    assert collect.parse_inbound_name("alice+fx01+yesterday+xyz") is None


# ---------------------------------------------------------------------------------------------
# LMS downloads


def test_canvas_zip(tmp_path):
    zipped = make_zip(
        tmp_path / "submissions.zip",
        {
            f"smithalice_1001_5001_{NB}": tagged("alice"),
            f"jonesbob_late_1002_5002_{NB}": tagged("bob first"),
            "jonesbob_late_1002_5002_fx01_exercises-1.ipynb": tagged("bob resubmitted"),
            "leecarol_1003_5003_Homework (2).ipynb": tagged("carol"),
            "leecarol_1003_5003_notes.txt": b"notes",
            f"__MACOSX/._smithalice_1001_5001_{NB}": b"\0",
            ".DS_Store": b"\0",
            "README.md": b"what is this",
        },
    )
    course = tmp_path / "course"
    report = collect.collect_lms(zipped, course, "fx01", EXPECTED)
    submitted = course / "submitted"
    assert tree(course) == {
        f"{s}/fx01/{f}"
        for s in ("smithalice", "jonesbob", "leecarol")
        for f in (NB, "timestamp.txt")
    }
    assert tag_of(submitted / "jonesbob" / "fx01" / NB) == "bob resubmitted"
    assert tag_of(submitted / "leecarol" / "fx01" / NB) == "carol"
    got = statuses(report)
    assert got[f"jonesbob_late_1002_5002_{NB}"] == (SUPERSEDED, "jonesbob")
    assert "late" in reason(report, "jonesbob_late_1002_5002_fx01_exercises-1.ipynb")
    assert got["leecarol_1003_5003_notes.txt"] == (IGNORED, "leecarol")
    assert "not a notebook" in reason(report, "leecarol_1003_5003_notes.txt")
    assert got["README.md"] == (IGNORED, None)
    assert "not a notebook" in reason(report, "README.md")
    assert report.ok, "files that are not notebooks are ignored, not unmatched"
    assert {i.source for i in report.ignored_files} == {
        "leecarol_1003_5003_notes.txt",
        "README.md",
    }
    assert got[f"__MACOSX/._smithalice_1001_5001_{NB}"][0] == IGNORED
    assert got[".DS_Store"][0] == IGNORED
    assert len(report.items) == 8, "every file of the zip is in the report"


def test_moodle_folders_and_namesakes(tmp_path):
    zipped = make_zip(
        tmp_path / "moodle.zip",
        {
            f"Alice Smith_4001_assignsubmission_file_/{NB}": tagged("alice"),
            "Bob Jones_4002_assignsubmission_file_/work/fx01_exercises (1).ipynb": tagged("bob"),
            "Bob Jones_4002_assignsubmission_onlinetext_/onlinetext.html": b"<p>hi</p>",
            f"John Smith_4003_assignsubmission_file_/{NB}": tagged("john a"),
            f"John Smith_4004_assignsubmission_file_/{NB}": tagged("john b"),
            f"Zoë Ünal_4005_assignsubmission_file_{NB}": tagged("zoe flat"),
        },
    )
    course = tmp_path / "course"
    report = collect.collect_lms(zipped, course, "fx01", EXPECTED, lms="moodle")
    submitted = course / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == [
        "alice-smith",
        "bob-jones",
        "john-smith-4003",
        "john-smith-4004",
        "zoe-unal",
    ]
    assert tag_of(submitted / "john-smith-4003" / "fx01" / NB) == "john a"
    assert tag_of(submitted / "john-smith-4004" / "fx01" / NB) == "john b"
    assert tag_of(submitted / "bob-jones" / "fx01" / NB) == "bob"
    assert tag_of(submitted / "zoe-unal" / "fx01" / NB) == "zoe flat"
    online = "Bob Jones_4002_assignsubmission_onlinetext_/onlinetext.html"
    assert statuses(report)[online] == (IGNORED, None)
    assert "not a notebook" in reason(report, online)


def test_blackboard_latest_attempt_wins_and_receipts_are_ignored(tmp_path):
    first, second = "2026-01-10-10-00-00", "2026-01-11-09-30-05"
    zipped = make_zip(
        tmp_path / "gradebook.zip",
        {
            f"fx01 Exercises_asmith_attempt_{first}_{NB}": tagged("first"),
            f"fx01 Exercises_asmith_attempt_{first}.txt": b"Name: Alice Smith (asmith)",
            f"fx01 Exercises_asmith_attempt_{second}_{NB}": tagged("second"),
            f"fx01 Exercises_asmith_attempt_{second}.txt": b"Name: Alice Smith (asmith)",
            f"fx01 Exercises_bjones_attempt_{first}_Untitled.ipynb": tagged("bob"),
        },
    )
    course = tmp_path / "course"
    report = collect.collect_lms(zipped, course, "fx01", EXPECTED)
    submitted = course / "submitted"
    assert tag_of(submitted / "asmith" / "fx01" / NB) == "second"
    assert (
        submitted / "asmith" / "fx01" / "timestamp.txt"
    ).read_text() == "2026-01-11 09:30:05.000000"
    assert tag_of(submitted / "bjones" / "fx01" / NB) == "bob"
    got = statuses(report)
    assert got[f"fx01 Exercises_asmith_attempt_{first}_{NB}"] == (SUPERSEDED, "asmith")
    assert got[f"fx01 Exercises_asmith_attempt_{second}.txt"][0] == IGNORED
    assert report.ok


def test_several_notebooks_of_one_student_stay_apart(tmp_path):
    expected = ["part1.ipynb", "part2.ipynb"]
    zipped = make_zip(
        tmp_path / "submissions.zip",
        {
            "smithalice_1001_5001_part1.ipynb": tagged("p1"),
            "smithalice_1001_5001_part1-1.ipynb": tagged("p1 again"),
            "smithalice_1001_5001_Part2.ipynb": tagged("p2"),
            "smithalice_1001_5001_scratch.ipynb": tagged("scratch"),
        },
    )
    course = tmp_path / "course"
    report = collect.collect_lms(zipped, course, "a2", expected)
    folder = course / "submitted" / "smithalice" / "a2"
    assert tag_of(folder / "part1.ipynb") == "p1 again"
    assert tag_of(folder / "part2.ipynb") == "p2"
    got = statuses(report)
    assert got["smithalice_1001_5001_part1.ipynb"][0] == SUPERSEDED
    assert got["smithalice_1001_5001_scratch.ipynb"][0] == UNMATCHED
    assert "unknown notebook name" in reason(report, "smithalice_1001_5001_scratch.ipynb")


def test_roster_maps_ids_and_names(tmp_path):
    roster_csv = tmp_path / "roster.csv"
    roster_csv.write_text("student_id,canvas_id,name\ns001,1001,Alice Smith\ns002,,Bob Jones\n")
    zipped = make_zip(
        tmp_path / "submissions.zip",
        {
            f"smithalice_1001_5001_{NB}": tagged("alice"),
            f"jonesbob_1002_5002_{NB}": tagged("bob"),
            f"leecarol_1003_5003_{NB}": tagged("carol"),
        },
    )
    course = tmp_path / "course"
    roster = collect.read_roster(roster_csv)
    report = collect.collect_lms(zipped, course, "fx01", EXPECTED, roster=roster)
    assert report.students == ["s001", "s002"]
    assert statuses(report)[f"leecarol_1003_5003_{NB}"] == (UNMATCHED, None)
    assert "not in roster" in reason(report, f"leecarol_1003_5003_{NB}")
    bad = tmp_path / "bad.csv"
    bad.write_text("student_id,name\nalice/../x,Alice\n")
    with pytest.raises(ValueError, match="not safe"):
        collect.read_roster(bad)


def test_dry_run_writes_nothing(tmp_path):
    zipped = make_zip(tmp_path / "s.zip", {f"smithalice_1001_5001_{NB}": tagged("alice")})
    course = tmp_path / "course"
    report = collect.collect_lms(zipped, course, "fx01", EXPECTED, dry_run=True)
    assert report.students == ["smithalice"]
    assert not (course / "submitted").exists()


def test_unpacked_folder_works_like_the_zip(tmp_path):
    files = {f"Alice Smith_4001_assignsubmission_file_/{NB}": tagged("alice")}
    zipped = make_zip(tmp_path / "m.zip", files)
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(zipped).extractall(unpacked)
    a = collect.collect_lms(zipped, tmp_path / "c1", "fx01", EXPECTED)
    b = collect.collect_lms(unpacked, tmp_path / "c2", "fx01", EXPECTED)
    assert a.students == b.students == ["alice-smith"]
    assert (tmp_path / "c1/submitted/alice-smith/fx01" / NB).read_bytes() == (
        tmp_path / "c2/submitted/alice-smith/fx01" / NB
    ).read_bytes()


# ---------------------------------------------------------------------------------------------
# command line, end to end


def cli(*args: str) -> subprocess.CompletedProcess:
    return SUITES["fixture"].cli(*args)


def test_collect_a_canvas_zip_then_autograde_it(tmp_path):
    """Collect through the CLI, autograde through the CLI: the scores are the expected ones."""
    sys.path.insert(0, str(FIXTURES / "wrong_answers"))
    try:
        import fx01 as wrong_answers_fx01
    finally:
        sys.path.pop(0)
    wrong = wrong_answers_fx01.WRONG_ANSWERS[2]  # rms_is_the_mean
    zipped = make_zip(
        tmp_path / "submissions.zip",
        {
            f"smithalice_1001_5001_{NB}": solved_bytes(),
            f"jonesbob_1002_5002_{NB}": release_bytes(),
            "leecarol_late_1003_5003_fx01_exercises-2.ipynb": solved_bytes(wrong),
            "leecarol_late_1003_5003_fx01_exercises-1.ipynb": release_bytes(),
            f"__MACOSX/._jonesbob_1002_5002_{NB}": b"\0",
            "smithalice_1001_5001_answers.pdf": b"%PDF",
        },
    )
    course = tmp_path / "course"
    result = cli("collect", str(course), "fx01", "--zip", str(zipped))
    out = result.stdout
    assert result.returncode == 0, out + result.stderr  # the pdf is ignored, nothing lost
    assert "smithalice_1001_5001_answers.pdf" in out and "not a notebook" in out
    assert "leecarol_late_1003_5003_fx01_exercises-1.ipynb" in out and "superseded" in out
    assert "ignored 1 file(s): OS or editor junk" in out
    assert "collected 3 notebook(s) of 3 student(s)" in out

    graded = cli("autograde", str(course), "fx01", "--jobs", "2")
    assert graded.returncode == 0, graded.stdout + graded.stderr
    total = sum(
        c.points
        for c in notebooks.graded_cells(notebooks.read(LAYOUT.solutions / "fx01" / NB))
        if c.kind == "auto"
    )
    lost = sum(
        c.points
        for c in notebooks.graded_cells(notebooks.read(LAYOUT.solutions / "fx01" / NB))
        if c.grade_id in wrong["fails"]
    )
    course_ = grading.Course(course, LAYOUT)

    def score(student: str) -> float:
        return grading.StudentResult(
            student, "fx01", cells=course_.scores("fx01", student)
        ).auto_score

    assert score("smithalice") == total
    assert score("jonesbob") == 0
    assert score("leecarol") == total - lost


def test_collect_cli_exit_status_ignored_files_and_unmatched_notebooks(tmp_path):
    """A file that is not a notebook is listed as ignored and the exit status stays 0; a
    notebook that cannot be matched is listed as unmatched and the exit status is 1."""
    files = {
        f"smithalice_1001_5001_{NB}": tagged("alice"),
        "smithalice_1001_5001_readme.txt": b"see my notebook",
        "grades-export.txt": b"from the LMS",
    }
    harmless = make_zip(tmp_path / "harmless.zip", files)
    result = cli("collect", str(tmp_path / "c1"), "fx01", "--zip", str(harmless))
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    ignored = out.split("ignored files, not notebooks")[1]
    assert "smithalice_1001_5001_readme.txt" in ignored and "grades-export.txt" in ignored
    assert "UNMATCHED" not in out
    assert "1 notebook(s) of 1 student(s)" in out and "0 unmatched, 2 file(s) ignored" in out

    lost = make_zip(tmp_path / "lost.zip", {**files, "my_homework.ipynb": tagged("who?")})
    result = cli("collect", str(tmp_path / "c2"), "fx01", "--zip", str(lost))
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    unmatched = out.split("UNMATCHED notebooks")[1].split("ignored files")[0]
    assert "my_homework.ipynb" in unmatched and "readme.txt" not in unmatched
    assert "1 unmatched, 2 file(s) ignored" in out


def test_collect_cli_usage_errors(tmp_path):
    result = cli("collect", str(tmp_path / "c"), "nope", "--zip", str(tmp_path))
    assert result.returncode == 2 and "unknown assignment" in result.stderr
    result = cli("collect", str(tmp_path / "c"), "fx01", "--zip", str(tmp_path / "missing.zip"))
    assert result.returncode == 2 and "neither a zip file nor a folder" in result.stderr


def test_exchange_with_a_roster(exchange, tmp_path):
    root, names = exchange
    roster_csv = tmp_path / "roster.csv"
    roster_csv.write_text("student_id,hub_user\ns001,alice\ns002,bob\n")
    course = tmp_path / "course"
    report = collect.collect_exchange(
        root, "phys101", course, "fx01", EXPECTED, roster=collect.read_roster(roster_csv)
    )
    assert report.students == ["s001", "s002"]
    assert statuses(report)[names["dave"]] == (UNMATCHED, None)
    assert "not in roster" in reason(report, names["dave"])


def test_links_are_never_followed(tmp_path):
    """A student can write into the exchange's inbound folder: a symbolic link there (to the
    solutions, the gradebook) is reported and never read, in the exchange and in LMS folders."""
    secret = tmp_path / "solutions.ipynb"
    secret.write_text('{"secret": "BEGIN HIDDEN TESTS"}')
    inbound = tmp_path / "exchange" / "course101" / "inbound"
    folder = inbound / "mallory+fx01+2026-11-27 10:00:00.000000 UTC+abcdef"
    folder.mkdir(parents=True)
    (folder / "fx01_exercises.ipynb").symlink_to(secret)
    (folder / "timestamp.txt").symlink_to(secret)
    (inbound / "eve+fx01+2026-11-27 10:00:00.000000 UTC+abcdef").symlink_to(folder)
    report = collect.collect_exchange(
        tmp_path / "exchange", "course101", tmp_path / "course", "fx01", ["fx01_exercises.ipynb"]
    )
    assert not report.by_status(collect.COLLECTED)
    assert {i.reason for i in report.items} >= {
        "a symbolic link, not a file",
        "a symbolic link, not a folder",
    }
    assert not (tmp_path / "course").exists() or "BEGIN HIDDEN" not in "".join(
        p.read_text() for p in (tmp_path / "course").rglob("*") if p.is_file()
    )
    lms = tmp_path / "lms"
    lms.mkdir()
    (lms / "alice_123_fx01_exercises.ipynb").symlink_to(secret)
    report = collect.collect_lms(lms, tmp_path / "course2", "fx01", ["fx01_exercises.ipynb"])
    assert [i.reason for i in report.items] == ["a symbolic link, not a file"]


# ---------------------------------------------------------------------------------------------
# LMS identities, and grades back to the LMS


def test_collect_keeps_each_students_lms_user_id(tmp_path):
    """Canvas user ids and Moodle participant ids are kept per student for ``export --lms``."""
    canvas = make_zip(
        tmp_path / "canvas.zip",
        {
            f"smithalice_1001_5001_{NB}": tagged("alice"),
            f"jonesbob_late_1002_5002_{NB}": tagged("bob"),
        },
    )
    course = tmp_path / "course"
    report = collect.collect_lms(canvas, tmp_path / "dry", "fx01", EXPECTED, dry_run=True)
    assert report.users["smithalice"] == collect.LmsUser("canvas", "1001", "smithalice")
    assert not (tmp_path / "dry").exists(), "a dry run records nothing"
    collect.collect_lms(canvas, course, "fx01", EXPECTED)
    assert collect.read_lms_users(course) == {
        "jonesbob": collect.LmsUser("canvas", "1002", "jonesbob"),
        "smithalice": collect.LmsUser("canvas", "1001", "smithalice"),
    }
    moodle = make_zip(
        tmp_path / "moodle.zip",
        {
            f"John Smith_4003_assignsubmission_file_/{NB}": tagged("john a"),
            f"John Smith_4004_assignsubmission_file_/{NB}": tagged("john b"),
        },
    )
    collect.collect_lms(moodle, course, "fx01", EXPECTED)
    users = collect.read_lms_users(course)
    assert users["john-smith-4003"] == collect.LmsUser("moodle", "4003", "John Smith")
    assert users["john-smith-4004"].user_id == "4004"
    assert users["smithalice"].user_id == "1001", "a later collection keeps the earlier students"


ROWS = [
    {"assignment": "fx01", "student_id": "zoe", "score": "", "max_score": "18.0"},
    {"assignment": "fx01", "student_id": "bob", "score": "8.5", "max_score": "18.0"},
    {"assignment": "fx02", "student_id": "bob", "score": "3.0", "max_score": "4.0"},
    {"assignment": "fx01", "student_id": "alice", "score": "18.0", "max_score": "18.0"},
    {"assignment": "fx01", "student_id": "hub-only", "score": "1.0", "max_score": "18.0"},
]


def read_csv(path: Path) -> list[list[str]]:
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_lms_gradebook_files(tmp_path):
    """Canvas's gradebook import and Moodle's grading worksheet: one row per student, sorted,
    an ungraded submission left empty, students without an identity in that LMS reported."""
    users = {
        "alice": collect.LmsUser("canvas", "1001", "smithalice"),
        "bob": collect.LmsUser("canvas", "1002", "jonesbob"),
        "zoe": collect.LmsUser("canvas", "1003", "unalzoe"),
    }
    out = tmp_path / "canvas.csv"
    written, missing = collect.lms_gradebook(
        ROWS, users, "canvas", "fx01", out, column="Chapter 1 (12345)"
    )
    assert (written, missing) == (3, ["hub-only"])
    assert read_csv(out) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Chapter 1 (12345)"],
        ["smithalice", "1001", "", "", "", "18"],
        ["jonesbob", "1002", "", "", "", "8.5"],
        ["unalzoe", "1003", "", "", "", ""],
    ]
    moodle_users = {"alice": collect.LmsUser("moodle", "4001", "Alice Smith")}
    out = tmp_path / "moodle.csv"
    now = dt.datetime(2026, 3, 1, 12, 0, 0)
    written, missing = collect.lms_gradebook(ROWS, moodle_users, "moodle", "fx01", out, now=now)
    assert (written, missing) == (1, ["bob", "hub-only", "zoe"])
    assert read_csv(out) == [
        ["Identifier", "Full name", "Grade", "Maximum grade", "Last modified (grade)"],
        ["Participant 4001", "Alice Smith", "18", "18", "2026-03-01T12:00:00+00:00"],
    ]
    with pytest.raises(ValueError, match="unknown LMS"):
        collect.lms_gradebook(ROWS, users, "blackboard", "fx01", out)
