"""Collect submissions into a course directory from a JupyterHub exchange or an LMS download.

The result is the layout ``nbgrader autograde`` reads: ``<course>/submitted/<student>/
<assignment>/<notebook>.ipynb`` plus nbgrader's ``timestamp.txt``. Every file found in the input
ends up in the :class:`Report`, with what happened to it: collected, superseded (an older attempt
or copy), ignored (not a notebook: a PDF beside the notebooks, OS junk, LMS receipts) or
unmatched (a notebook, or a folder or link that may hold one, that could not be matched to a
student or to the assignment's notebooks: work may be lost); nothing is dropped silently. Broken notebooks (bad JSON) are collected byte for byte: grading deals with them.

Sources:

- a JupyterHub exchange, ``<exchange>/<course_id>/inbound/<student>+<assignment>+<timestamp>
  +<random>/``, as written by nbgrader's ``ExchangeSubmit``. As in nbgrader's
  ``ExchangeCollect``, the latest timestamp of each student wins, and a submission already in
  the course directory is replaced only by a newer one.
- an LMS download (a zip, or the folder it was unpacked into), with the names that
  Canvas (``<lastfirst>_[late_]<user id>_<submission id>_<file>``, resubmissions ``<file>-1``),
  Moodle (``<Full Name>_<participant id>_assignsubmission_file_/<file>``) and Blackboard
  (``<Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file>``, plus ``.txt`` receipts)
  give their files.

From an LMS download, each student's LMS identity is kept in ``<course>/lms_users.csv``, and
:func:`lms_gradebook` writes grades back in a file the Canvas or Moodle gradebook imports.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

#: Statuses of a :class:`Item`; only "unmatched" needs the instructor's attention: a notebook
#: (or a folder or link that may hold one) that could not be matched. "ignored" is a file that
#: is not a notebook, so nothing to grade is lost.
COLLECTED, SUPERSEDED, IGNORED, UNMATCHED = "collected", "superseded", "ignored", "unmatched"

#: Reasons of ignored files that are noise, counted rather than listed in the report.
JUNK, RECEIPT = "OS or editor junk", "Blackboard receipt"
NOISE = frozenset({JUNK, RECEIPT})
NOT_A_NOTEBOOK = "not a notebook"

#: Where :func:`collect_lms` keeps each student's LMS identity (for ``export --lms``).
LMS_USERS = "lms_users.csv"
_LMS_USER_FIELDS = ("student_id", "lms", "lms_user_id", "lms_name")

_JUNK_PARTS = {"__MACOSX", ".ipynb_checkpoints", ".Trashes", ".Spotlight-V100", ".fseventsd"}
_JUNK_FILES = {".DS_Store", "Thumbs.db", "desktop.ini", ".directory"}
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")

_MOODLE_DIR = re.compile(r"^(?P<name>.+)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_$")
_MOODLE_FLAT = re.compile(
    r"^(?P<name>.+)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<file>.+)$"
)
_BLACKBOARD = re.compile(
    r"^(?P<assignment>.*)_(?P<user>[^_]+)_attempt_"
    r"(?P<ts>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})(?:_(?P<file>.+)|(?P<receipt>\.txt))$"
)
_CANVAS = re.compile(
    r"^(?P<name>[^_]+)_(?:(?P<late>late)_)?(?P<uid>\d+)_(?P<sid>\d+)_(?P<file>.+)$", re.IGNORECASE
)
# Copies of one file: Canvas resubmission "x-1.ipynb", browser "x (1).ipynb", Jupyter "x-Copy1".
_COPY_SUFFIX = re.compile(r"^(?P<stem>.*?)(?:-(?P<n1>\d+)| \((?P<n2>\d+)\)|-Copy(?P<n3>\d*))$")


@dataclass
class Item:
    """One file (or exchange folder) of the input and what collection did with it."""

    source: str
    status: str
    reason: str = ""
    student: str | None = None
    notebook: str | None = None


@dataclass(frozen=True)
class LmsUser:
    """A student's identity in the LMS whose download they were collected from."""

    lms: str  # "canvas", "moodle" or "blackboard"
    user_id: str  # Canvas user id, Moodle participant id, Blackboard username
    name: str  # as the download names them (Canvas: "smithalice"; Moodle: "Alice Smith")


@dataclass
class Report:
    """What :func:`collect_exchange` or :func:`collect_lms` did, file by file."""

    assignment: str
    items: list[Item] = field(default_factory=list)
    users: dict[str, LmsUser] = field(default_factory=dict)  # student id -> LMS identity

    def by_status(self, status: str) -> list[Item]:
        return [i for i in self.items if i.status == status]

    @property
    def students(self) -> list[str]:
        """The students who got a submission in the course directory."""
        return sorted({i.student for i in self.by_status(COLLECTED) if i.student})

    @property
    def ignored_files(self) -> list[Item]:
        """Ignored files worth listing: everything ignored but OS junk and LMS receipts."""
        return [i for i in self.by_status(IGNORED) if i.reason not in NOISE]

    @property
    def noise(self) -> list[Item]:
        """Ignored OS junk and LMS receipts."""
        return [i for i in self.by_status(IGNORED) if i.reason in NOISE]

    @property
    def ok(self) -> bool:
        """True when no notebook was left unmatched (ignored files do not count)."""
        return not self.by_status(UNMATCHED)


@dataclass
class _File:
    """A file of the input: where it is, its time, and how to read it."""

    path: str  # posix path relative to the input
    mtime: dt.datetime
    read: Callable[[], bytes]
    link: bool = False  # a symbolic link (or under one): never followed, never collected


@dataclass
class _Candidate:
    """A file attributed to an LMS user, before the student id and notebook are decided."""

    file: _File
    lms: str
    user_key: str  # identifies the LMS user (its id, or its username)
    name: str  # a human name or username, for the roster and the default id
    aliases: tuple[str, ...]  # every identifier a roster may use for this user
    attempt: tuple  # larger is later
    original: str  # the student's own file name
    timestamp: dt.datetime
    late: bool = False


# ---------------------------------------------------------------------------------------------
# names


def safe_id(text: str) -> str:
    """A student id made from an LMS name: lower case ASCII, digits, ``.``, ``_``, ``-``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9._-]+", "-", ascii_text.lower()).strip("-._")
    return slug or "student"


def _squash(text: str) -> str:
    """Letters and digits only, lower case, accents removed: how names are compared."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def _name_forms(text: str) -> set[str]:
    """A name squashed in each rotation of its words ("Alice Smith" -> alicesmith, smithalice)."""
    words = [w for w in re.split(r"[\s,]+", text.strip()) if w]
    forms = {_squash(text)}
    for i in range(1, len(words)):
        forms.add(_squash("".join(words[i:] + words[:i])))
    return {f for f in forms if f}


def _copy_rank(filename: str) -> tuple[str, int]:
    """A file name without copy suffixes, and the copy number (0 for the original)."""
    path = PurePosixPath(filename)
    stem, rank = path.stem, 0
    match = _COPY_SUFFIX.match(stem)
    if match and match.group("stem"):
        number = match.group("n1") or match.group("n2") or match.group("n3") or "1"
        stem, rank = match.group("stem"), int(number)
    stem = re.sub(r"^Copy of ", "", stem, flags=re.IGNORECASE).strip()
    return stem + path.suffix, rank


def expected_notebooks(folder: Path) -> list[str]:
    """The notebook names of an assignment's release folder (``exercises/<assignment>``)."""
    return sorted(p.name for p in folder.glob("*.ipynb"))


def is_notebook(path: str) -> bool:
    """Whether a file name is a notebook's (``.ipynb``, any case)."""
    return PurePosixPath(path).name.lower().endswith(".ipynb")


def _is_junk(path: str) -> bool:
    parts = PurePosixPath(path).parts
    name = parts[-1] if parts else path
    return (
        any(p in _JUNK_PARTS for p in parts)
        or name in _JUNK_FILES
        or name.startswith("._")
        or name.startswith("~$")
    )


# ---------------------------------------------------------------------------------------------
# roster


def read_roster(path: Path) -> dict[str, str]:
    """A roster CSV as squashed alias -> student id.

    The CSV has a header row with a ``student_id`` column; every other column (LMS user id,
    username, full name, e-mail ...) holds an alias that may appear in the LMS file names.
    Raises ValueError for a missing column, an unsafe student id, or an alias of two students.
    """
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "student_id" not in reader.fieldnames:
            raise ValueError(f"{path}: the roster needs a 'student_id' column")
        aliases: dict[str, str] = {}
        clashes: set[str] = set()
        for row in reader:
            student = (row.get("student_id") or "").strip()
            if not student:
                continue
            if not _SAFE_ID.match(student):
                raise ValueError(f"{path}: student id {student!r} is not safe for a folder name")
            values = [student] + [v for k, v in row.items() if k != "student_id" and v]
            for value in values:
                for form in _name_forms(value):
                    if aliases.get(form, student) != student:
                        clashes.add(form)
                    aliases[form] = student
    for form in clashes:
        del aliases[form]
    return aliases


# ---------------------------------------------------------------------------------------------
# reading the input


def _zip_files(path: Path) -> list[_File]:
    archive = zipfile.ZipFile(path)
    files = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        files.append(
            _File(
                info.filename.replace("\\", "/"),  # some Windows zippers use backslashes
                dt.datetime(*info.date_time),
                lambda info=info: archive.read(info),
            )
        )
    return files


def _dir_files(root: Path) -> list[_File]:
    """The regular files under ``root``; links are listed too, and refused when read."""
    return [
        _File(
            p.relative_to(root).as_posix(),
            dt.datetime.fromtimestamp(p.lstat().st_mtime, dt.UTC).replace(tzinfo=None),
            p.read_bytes if not _linked(p, root) else _refuse_link(p),
            _linked(p, root),
        )
        for p in sorted(root.rglob("*"))
        if p.is_symlink() or p.is_file()
    ]


def _linked(path: Path, root: Path) -> bool:
    """Whether ``path`` or a folder between it and ``root`` is a symbolic link: a link can
    lead anywhere the instructor may read (the solutions, the gradebook)."""
    current = path
    while current != root and current != current.parent:
        if current.is_symlink():
            return True
        current = current.parent
    return False


def _refuse_link(path: Path):
    def read() -> bytes:
        raise LinkError(f"{path.name} is a symbolic link, not a file: not collected")

    return read


class LinkError(OSError):
    """A submitted file is a symbolic link (it is never followed)."""


def _parse_lms(file: _File, lms: str) -> _Candidate | Item:
    """Attribute a file of an LMS download to a user, or say why it cannot be."""
    parts = PurePosixPath(file.path).parts
    name = parts[-1]
    if lms in ("auto", "moodle"):
        for i, part in enumerate(parts[:-1]):
            match = _MOODLE_DIR.match(part)
            if match:
                inner = "/".join(parts[i + 1 :])
                return _moodle(file, match, inner)
        match = _MOODLE_FLAT.match(name)
        if match:
            return _moodle(file, match, match.group("file"))
    if lms in ("auto", "blackboard"):
        match = _BLACKBOARD.match(name)
        if match:
            if match.group("receipt"):
                return Item(file.path, IGNORED, RECEIPT)
            ts = dt.datetime.strptime(match.group("ts"), "%Y-%m-%d-%H-%M-%S")
            user = match.group("user")
            return _Candidate(
                file, "blackboard", user, user, (user,), (ts,), match.group("file"), ts
            )
    if lms in ("auto", "canvas"):
        match = _CANVAS.match(name)
        if match:
            uid, sid = match.group("uid"), int(match.group("sid"))
            return _Candidate(
                file,
                "canvas",
                uid,
                match.group("name"),
                (uid, match.group("name")),
                (sid,),
                match.group("file"),
                file.mtime,
                late=bool(match.group("late")),
            )
    what = "a Canvas, Moodle or Blackboard" if lms == "auto" else f"a {lms}"
    if not is_notebook(file.path):
        return Item(file.path, IGNORED, f"{NOT_A_NOTEBOOK} (and not {what} download name)")
    return Item(file.path, UNMATCHED, f"unparseable name (not {what} download name)")


def _moodle(file: _File, match: re.Match, inner: str) -> _Candidate | Item:
    uid, person = match.group("id"), match.group("name")
    if match.group("plugin") != "file":
        return Item(
            file.path, IGNORED, f"{NOT_A_NOTEBOOK} (Moodle {match.group('plugin')} submission)"
        )
    return _Candidate(file, "moodle", uid, person, (uid, person), (0,), inner, file.mtime)


# ---------------------------------------------------------------------------------------------
# deciding


def _student_ids(candidates: list[_Candidate], roster: dict[str, str] | None) -> dict[str, str]:
    """LMS user key -> student id (users missing from the roster are reported, not mapped)."""
    users: dict[str, _Candidate] = {}
    for c in candidates:
        users.setdefault(c.user_key, c)
    ids: dict[str, str] = {}
    if roster is not None:
        for key, c in users.items():
            found = {roster[f] for a in c.aliases for f in _name_forms(a) if f in roster}
            if len(found) == 1:
                ids[key] = found.pop()
        return ids
    by_default: dict[str, list[str]] = defaultdict(list)
    for key, c in users.items():
        by_default[safe_id(c.name)].append(key)
    for default, keys in by_default.items():
        for key in keys:
            # Two LMS users with one name (two John Smiths) keep apart by their LMS id.
            ids[key] = default if len(keys) == 1 else f"{default}-{safe_id(key)}"
    return ids


def _assign_notebooks(
    files: list[tuple[str, int, dt.datetime, object]], expected: list[str]
) -> tuple[dict[str, object], list[tuple[object, str, str]]]:
    """Map (original name, copy rank, time, payload) to expected notebooks.

    Returns (expected name -> winning payload, [(payload, status, reason)] for the others).
    """
    lower = {e.casefold(): e for e in expected}
    matched: dict[str, list[tuple[int, dt.datetime, str, object]]] = defaultdict(list)
    rest: list[tuple[str, object]] = []
    others: list[tuple[object, str, str]] = []
    for original, _rank, time, payload in files:
        base = PurePosixPath(original).name
        if not is_notebook(base):
            others.append((payload, IGNORED, NOT_A_NOTEBOOK))
            continue
        plain, rank = _copy_rank(base)
        target = lower.get(base.casefold()) or lower.get(plain.casefold())
        if target is None:
            rest.append((base, payload))
            continue
        matched[target].append(
            (0 if base.casefold() == target.casefold() else rank, time, base, payload)
        )
    if len(expected) == 1 and not matched and len(rest) == 1:
        base, payload = rest.pop()
        matched[expected[0]].append((0, dt.datetime.min, base, payload))
        renamed = {id(payload): f"renamed from {base}"}
    else:
        renamed = {}
    for base, payload in rest:
        others.append(
            (payload, UNMATCHED, f"unknown notebook name {base!r}; expected {', '.join(expected)}")
        )
    winners: dict[str, object] = {}
    for target, copies in matched.items():
        copies.sort(key=lambda c: (c[0], c[1], c[2]))
        winner = copies[-1]
        winners[target] = winner[3]
        if id(winner[3]) in renamed:
            others.append((winner[3], COLLECTED, renamed[id(winner[3])]))
        for copy in copies[:-1]:
            others.append((copy[3], SUPERSEDED, f"older copy of {target}: kept {winner[2]}"))
    return winners, others


def _timestamp_text(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")


def _existing_timestamp(folder: Path) -> dt.datetime | None:
    from nbgrader.utils import parse_utc

    path = folder / "timestamp.txt"
    try:
        return parse_utc(path.read_text().strip())
    except (OSError, ValueError, OverflowError):
        return None


def _write(
    course: Path,
    assignment: str,
    student: str,
    notebooks: dict[str, bytes],
    timestamp: str,
    when: dt.datetime,
    dry_run: bool,
) -> str | None:
    """Write one student's submission; return why not when the course already has a newer one."""
    dest = course / "submitted" / student / assignment
    existing = _existing_timestamp(dest) if dest.is_dir() else None
    if existing is not None and existing > when:
        return f"the course already has a newer submission ({existing})"
    if dry_run:
        return None
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name, data in notebooks.items():
        (dest / name).write_bytes(data)
    (dest / "timestamp.txt").write_text(timestamp)
    return None


# ---------------------------------------------------------------------------------------------
# the two sources


def collect_lms(
    source: Path,
    course: Path,
    assignment: str,
    expected: list[str],
    *,
    lms: str = "auto",
    roster: dict[str, str] | None = None,
    dry_run: bool = False,
) -> Report:
    """Collect an LMS download (zip or unpacked folder) into ``course/submitted``."""
    if lms not in ("auto", "canvas", "moodle", "blackboard"):
        raise ValueError(f"unknown LMS {lms!r}")
    if not expected:
        raise ValueError(f"no notebooks expected for {assignment}")
    report = Report(assignment)
    files = _zip_files(source) if zipfile.is_zipfile(source) else _dir_files(source)
    candidates: list[_Candidate] = []
    for file in files:
        if file.link:
            report.items.append(Item(file.path, UNMATCHED, "a symbolic link, not a file"))
            continue
        if _is_junk(file.path):
            report.items.append(Item(file.path, IGNORED, JUNK))
            continue
        parsed = _parse_lms(file, lms)
        if isinstance(parsed, Item):
            report.items.append(parsed)
        else:
            candidates.append(parsed)
    ids = _student_ids(candidates, roster)
    by_student: dict[str, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        student = ids.get(c.user_key)
        if student is None:
            who = f"student not in roster ({c.lms} {c.name}, id {c.user_key})"
            if is_notebook(c.file.path):
                report.items.append(Item(c.file.path, UNMATCHED, who))
            else:
                report.items.append(Item(c.file.path, IGNORED, f"{NOT_A_NOTEBOOK}; {who}"))
        else:
            by_student[student].append(c)
    for student, cands in sorted(by_student.items()):
        users = sorted({c.user_key for c in cands})
        latest = max(c.attempt for c in cands)
        current = [c for c in cands if c.attempt == latest]
        for c in cands:
            if c.attempt != latest:
                report.items.append(
                    Item(
                        c.file.path,
                        SUPERSEDED,
                        f"older attempt (latest {_attempt_text(latest)})",
                        student,
                    )
                )
        winners, others = _assign_notebooks(
            [(c.original, 0, c.file.mtime, c) for c in current], expected
        )
        reasons: dict[int, str] = {}
        for c, status, reason in others:
            if status == COLLECTED:
                reasons[id(c)] = reason
            else:
                report.items.append(Item(c.file.path, status, reason, student))
        if not winners:
            continue
        when = max(c.timestamp for c in winners.values())
        latest_file = max(winners.values(), key=lambda c: (c.timestamp, c.file.path))
        report.users[student] = LmsUser(latest_file.lms, latest_file.user_key, latest_file.name)
        refused = _write(
            course,
            assignment,
            student,
            {name: c.file.read() for name, c in winners.items()},
            _timestamp_text(when),
            when,
            dry_run,
        )
        for name, c in sorted(winners.items()):
            notes = [reasons.get(id(c), ""), "late" if c.late else ""]
            if len(users) > 1:
                notes.append(f"one of LMS users {', '.join(users)}")
            if refused:
                report.items.append(Item(c.file.path, SUPERSEDED, refused, student, name))
            else:
                report.items.append(
                    Item(c.file.path, COLLECTED, "; ".join(n for n in notes if n), student, name)
                )
    report.items.sort(key=lambda i: (i.student or "~", i.source))
    if report.users and not dry_run:
        record_lms_users(course, report.users)
    return report


def read_lms_users(course: Path) -> dict[str, LmsUser]:
    """Student id -> LMS identity, as :func:`collect_lms` recorded them in the course."""
    path = course / LMS_USERS
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as fh:
        return {
            row["student_id"]: LmsUser(row["lms"], row["lms_user_id"], row["lms_name"])
            for row in csv.DictReader(fh)
            if row.get("student_id")
        }


def record_lms_users(course: Path, users: dict[str, LmsUser]) -> None:
    """Add (or update) students' LMS identities in ``course/lms_users.csv``."""
    known = read_lms_users(course) | users
    course.mkdir(parents=True, exist_ok=True)
    with (course / LMS_USERS).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(_LMS_USER_FIELDS)
        for student, user in sorted(known.items()):
            writer.writerow((student, user.lms, user.user_id, user.name))


# ---------------------------------------------------------------------------------------------
# grades back to the LMS

#: The LMS gradebook files ``export --lms`` writes.
LMS_FORMATS = ("canvas", "moodle")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_COLUMNS = ("Identifier", "Full name", "Grade", "Maximum grade", "Last modified (grade)")


def lms_gradebook(
    rows: list[dict],
    users: dict[str, LmsUser],
    lms: str,
    assignment: str,
    output: Path,
    *,
    column: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[int, list[str]]:
    """Write one assignment's grades as a file the LMS gradebook imports; rows by student.

    ``rows`` are the export's (``assignment``, ``student_id``, ``score``, ``max_score``); an
    ungraded submission has an empty score, which both imports leave unchanged. Canvas: the
    gradebook import's columns and one assignment column, named ``column`` (default: the
    assignment). Moodle: the columns the assignment's "Upload grading worksheet" reads.
    Returns (rows written, students left out because collect recorded no identity in this LMS).
    """
    if lms not in LMS_FORMATS:
        raise ValueError(f"unknown LMS {lms!r}; choose one of {', '.join(LMS_FORMATS)}")
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    table: list[tuple[str, ...]] = []
    missing: list[str] = []
    for row in sorted(rows, key=lambda r: r["student_id"]):
        if row["assignment"] != assignment:
            continue
        user = users.get(row["student_id"])
        if user is None or user.lms != lms:
            missing.append(row["student_id"])
            continue
        score, top = _number(row.get("score")), _number(row.get("max_score"))
        if lms == "canvas":
            table.append((user.name, user.user_id, "", "", "", score))
        else:
            table.append((f"Participant {user.user_id}", user.name, score, top, stamp))
    header = (*CANVAS_COLUMNS, column or assignment) if lms == "canvas" else MOODLE_COLUMNS
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(table)
    return len(table), missing


def _number(text: str | None) -> str:
    """A score as the LMS reads it ("17", "8.5"); empty stays empty."""
    if not text:
        return ""
    try:
        return f"{float(text):g}"
    except ValueError:
        return text


def _attempt_text(attempt: tuple) -> str:
    return ", ".join(str(a) for a in attempt)


def parse_inbound_name(name: str) -> tuple[str, str, dt.datetime] | None:
    """(student, assignment, UTC timestamp) of an exchange inbound folder name, or None.

    nbgrader names them ``<student>+<assignment>+<timestamp>+<random>`` (the random part only
    with ``ExchangeSubmit.add_random_string``, the default) and parses them with
    ``rsplit('+', 3)``; we accept both forms.
    """
    from nbgrader.utils import parse_utc

    parts = name.split("+")
    for n in (3, 2):  # with the random part, then without
        if len(parts) < n + 1:
            continue
        head, assignment, stamp = "+".join(parts[:-n]), parts[-n], parts[-n + 1]
        try:
            when = parse_utc(stamp)
        except (ValueError, OverflowError):
            continue
        if head and assignment:
            return head, assignment, when
    return None


def collect_exchange(
    exchange: Path,
    course_id: str,
    course: Path,
    assignment: str,
    expected: list[str],
    *,
    roster: dict[str, str] | None = None,
    dry_run: bool = False,
) -> Report:
    """Collect ``<exchange>/<course_id>/inbound`` into ``course/submitted``, latest wins."""
    inbound = exchange / course_id / "inbound"
    if not inbound.is_dir():
        raise FileNotFoundError(f"no exchange inbound folder at {inbound}")
    report = Report(assignment)
    records: dict[str, list[tuple[dt.datetime, Path]]] = defaultdict(list)
    for entry in sorted(inbound.iterdir()):
        if entry.is_symlink():
            report.items.append(Item(entry.name, UNMATCHED, "a symbolic link, not a folder"))
            continue
        parsed = parse_inbound_name(entry.name) if entry.is_dir() else None
        if parsed is None and entry.is_file() and not is_notebook(entry.name):
            report.items.append(
                Item(entry.name, IGNORED, f"{NOT_A_NOTEBOOK} (a file in the inbound folder)")
            )
            continue
        if parsed is None:
            report.items.append(Item(entry.name, UNMATCHED, "unparseable exchange folder name"))
            continue
        student, name_assignment, when = parsed
        if name_assignment != assignment:
            continue  # another assignment's submission: not this collection's business
        if roster is not None:
            student = roster.get(_squash(student), "")
            if not student:
                report.items.append(
                    Item(entry.name, UNMATCHED, f"student not in roster ({parsed[0]})")
                )
                continue
        elif not _SAFE_ID.match(student):
            report.items.append(Item(entry.name, UNMATCHED, f"unsafe student id {student!r}"))
            continue
        records[student].append((when, entry))
    for student, submissions in sorted(records.items()):
        submissions.sort(key=lambda r: (r[0], r[1].name))
        when, folder = submissions[-1]
        for _older, path in submissions[:-1]:
            report.items.append(
                Item(path.name, SUPERSEDED, f"older submission (latest {when})", student)
            )
        files = []
        for path in sorted(folder.rglob("*")):
            rel = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            if _linked(path, folder):
                report.items.append(Item(rel, UNMATCHED, "a symbolic link, not a file", student))
                continue
            if not path.is_file() or path.relative_to(folder).as_posix() == "timestamp.txt":
                continue
            if _is_junk(rel):
                report.items.append(Item(rel, IGNORED, JUNK, student))
                continue
            files.append((path.relative_to(folder).as_posix(), 0, when, (rel, path)))
        winners, others = _assign_notebooks(files, expected)
        reasons: dict[int, str] = {}
        for payload, status, reason in others:
            if status == COLLECTED:
                reasons[id(payload)] = reason
            else:
                report.items.append(Item(payload[0], status, reason, student))
        if not winners:
            continue
        stamp_file = folder / "timestamp.txt"
        readable = stamp_file.is_file() and not stamp_file.is_symlink()
        stamp = stamp_file.read_text().strip()[:64] if readable else _timestamp_text(when)
        refused = _write(
            course,
            assignment,
            student,
            {name: p[1].read_bytes() for name, p in winners.items()},
            stamp,
            when,
            dry_run,
        )
        for name, payload in sorted(winners.items()):
            if refused:
                report.items.append(Item(payload[0], SUPERSEDED, refused, student, name))
            else:
                report.items.append(
                    Item(payload[0], COLLECTED, reasons.get(id(payload), ""), student, name)
                )
    report.items.sort(key=lambda i: (i.student or "~", i.source))
    return report


def courses_in(exchange: Path) -> list[str]:
    """The course ids of an exchange: folders with an ``inbound`` folder."""
    return sorted(p.name for p in exchange.iterdir() if (p / "inbound").is_dir())


def summary(items: Iterable[Item]) -> dict[str, int]:
    """How many items have each status."""
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item.status] += 1
    return dict(counts)
