"""The OS sandbox a grading kernel runs in (Debian's ``bubblewrap``), its limits, its processes.

Each grading kernel is started as::

    bwrap [what it may see] -- [setpriv: a uid of its own] python -c LAUNCHER ...

and so it

- sees a read-only view of the system's libraries, the Python installation, the virtual
  environment and the book's ``torchbook`` package, and nothing else of the machine: not
  the course directory (gradebook, other students' work), not ``solutions/``, not the
  repository, not the exchange, not the instructors' home;
- writes only to its own ``/tmp`` and home folder, two memory-backed file systems of bounded
  size that vanish with it;
- has no network (a network namespace of its own, with no interface but loopback) and its
  own process namespace: it cannot see or signal the grader or other kernels, and every
  process it starts dies with it;
- runs under a user id of its own (when the grader runs as root), so the per-user limit on
  processes applies to it alone;
- has resource limits (the launcher sets them before it starts the kernel): address space,
  CPU time, file size, open files, processes; no core dumps.

The kernel talks to the grader over Jupyter's ``ipc`` transport: unix sockets in a folder
bound into the sandbox, made read-only for the kernel once it is running.

Where ``bwrap`` is missing or cannot create namespaces (a laptop, some containers), kernels
run unsandboxed with the same resource limits, and the command line says so loudly.
"""

from __future__ import annotations

import functools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_client.manager import KernelManager

from autograder import wire

#: System folders a kernel may read (those that exist; /bin and /lib are often links).
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
#: Devices a CUDA kernel needs, where they exist.
GPU_DEVICES = (
    "/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia-modeset",
    *(f"/dev/nvidia{i}" for i in range(16)),
)  # fmt: skip
#: Where the kernel works and keeps its files, inside the sandbox.
HOME = "/home/student"
#: Where the submission's other files are shown (read-only) before the launcher copies them.
FILES = "/autograder/files"
#: Where folders that lie inside a scratch folder (the sockets' folder, a virtual environment
#: under /tmp) are bound until MOUNT puts them back at their own paths.
ASIDE = "/autograder/aside"
#: The scratch folders: memory-backed, bounded, private to one kernel.
SCRATCH = ("/tmp", "/dev/shm", HOME)
#: Run as root inside the sandbox (root grader): mount the scratch file systems with a bound
#: size and number of files (empty files cost the machine's kernel memory, which no byte
#: limit counts), put back the folders bound aside (read-only or not), then run the rest
#: (setpriv, the kernel). The submission's other files are copied into the home folder here
#: (as root: the instructor's files may be readable by root only), links as links (they lead
#: nowhere). Arguments: size in bytes, number of files, the kernel's user id, then triples
#: (ro|rw, where it was bound aside, its own path) up to "--", then the command.
MOUNT = r"""set -e
size=$1 files=$2 uid=$3
shift 3
for folder in /tmp /dev/shm /home/student; do
    mount -t tmpfs -o "size=$size,nr_inodes=$files,mode=1777,nosuid,nodev" tmpfs "$folder"
done
while [ "$1" != "--" ]; do
    mkdir -p "$3"
    mount --bind -o "$1" "$2" "$3"
    shift 3
done
shift
if [ -d /autograder/files ]; then
    cp -R --no-dereference /autograder/files/. /home/student/ || true
    chown -R --no-dereference "$uid:$uid" /home/student
    chmod 1777 /home/student
fi
exec "$@"
"""
#: The packages a kernel may import from outside the Python installation and the
#: virtual environment (editable installs): the book's library only.
PACKAGES = ("torchbook",)
#: Modules the launcher imports before the kernel starts (every notebook imports torch).
PRELOAD = ("torch",)
#: The range the sandbox's user ids are drawn from (no account needs to exist).
UID_RANGE = (200_000, 299_999)


@dataclass(frozen=True)
class Limits:
    """Resource limits of one grading kernel."""

    memory_mb: int = 4096  # address space beyond what the kernel maps after its imports
    cpu_seconds: int = 1200  # CPU time of the whole kernel process (a backstop)
    file_mb: int = 256  # the largest file it may write
    scratch_mb: int = 512  # its /tmp, /dev/shm and home folder, each
    scratch_files: int = 20_000  # files and folders in each (root graders only)
    processes: int = 512  # processes and threads of its user id
    open_files: int = 1024


# ---------------------------------------------------------------------------------------------
# is the sandbox available here?


@functools.cache
def unavailable_reason() -> str | None:
    """None if kernels can be sandboxed here, else why not (checked once per process)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return (
            "bubblewrap (bwrap) is not installed; on Debian or Ubuntu: apt-get install bubblewrap"
        )
    try:
        done = subprocess.run(
            [*_bwrap_base(), "--", sys.executable, "-c", "pass"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap could not be run: {exc}"
    if done.returncode != 0:
        return f"bwrap cannot create a sandbox here: {done.stderr.strip()[:300]}"
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        return "setpriv (util-linux) is missing: kernels would run as root"
    return None


def _bwrap_base() -> list[str]:
    """The namespaces and read-only system view every sandbox has."""
    args = ["bwrap", "--die-with-parent", "--new-session"]
    # every namespace but the user one when root (the kernel then gets a user id of its own
    # from setpriv, which a user namespace mapping only root would refuse)
    namespaces = ["ipc", "pid", "net", "uts"] + ([] if _root() else ["user"])
    args += [f"--unshare-{n}" for n in namespaces] + ["--unshare-cgroup-try"]
    for path in SYSTEM_PATHS:
        args += ["--ro-bind-try", path, path]
    for path in _python_paths():
        args += _bind_with_parents(path)
    args += ["--proc", "/proc", "--dev", "/dev"]
    return args


def _bind_with_parents(path: str) -> list[str]:
    """Bind ``path`` read-only; the folders above it must be traversable by the kernel."""
    args = []
    for parent in reversed(Path(path).parents[:-1]):
        args += ["--perms", "0755", "--dir", str(parent)]
    return [*args, "--ro-bind", path, path]


@functools.cache
def _python_paths() -> tuple[str, ...]:
    """The Python installation, the virtual environment, and the packages of PACKAGES."""
    import importlib.util

    paths = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), sys.prefix}
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            paths.update(os.path.realpath(p) for p in spec.submodule_search_locations)
    # a path inside another is bound with it
    kept = sorted(paths, key=len)
    return tuple(p for i, p in enumerate(kept) if not any(_inside(p, q) for q in kept[:i]))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def exposed(protected: list[Path]) -> list[str]:
    """Protected folders that a sandboxed kernel could still read (they lie inside a folder
    it sees, such as a virtual environment holding the course): they are hidden by an empty
    file system mounted over them."""
    seen = [*SYSTEM_PATHS, *_python_paths()]
    found = []
    for path in protected:
        real = os.path.realpath(path)
        if any(_inside(real, folder) for folder in seen):
            found.append(real)
    return found


# ---------------------------------------------------------------------------------------------
# the launcher: runs inside the sandbox, sets limits, then becomes the kernel

LAUNCHER = r"""
def _launch():
    import json, os, resource, shutil, sys, types

    settings = json.loads(sys.argv.pop(1))

    def cap(name, value):
        limit = getattr(resource, name)
        soft, hard = resource.getrlimit(limit)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(limit, (value, value))

    cap("RLIMIT_CORE", 0)
    cap("RLIMIT_FSIZE", settings["file_bytes"])
    cap("RLIMIT_NOFILE", settings["open_files"])
    cap("RLIMIT_NPROC", settings["processes"])
    cap("RLIMIT_CPU", settings["cpu_seconds"])
    home = settings.get("home")
    files = settings.get("files")
    if files and home and os.path.isdir(files):  # the submission's other files, copied
        for name in os.listdir(files):
            source = os.path.join(files, name)
            if os.path.islink(source) or name.endswith(".ipynb"):
                continue
            if os.path.isdir(source):
                shutil.copytree(source, os.path.join(home, name), symlinks=True)
            elif os.path.isfile(source):
                shutil.copy(source, home)
    if home and os.path.isdir(home):
        os.chdir(home)
    mpl = settings.get("mpl_cache")
    if mpl and os.path.isdir(mpl):
        target = os.environ["MPLCONFIGDIR"]
        os.makedirs(target, exist_ok=True)
        for name in os.listdir(mpl):
            if name.endswith(".json"):
                shutil.copy(os.path.join(mpl, name), target)
    for name in settings["preload"]:
        __import__(name)
    limit = settings["output_bytes"]
    if limit:  # printing gigabytes must not cost the kernel its memory before the grader cuts
        from ipykernel import iostream

        write, used = iostream.OutStream.write, {}

        def capped(self, text):
            key = (self.name, str((getattr(self, "parent_header", None) or {}).get("msg_id")))
            before = used.get(key, 0)
            used[key] = before + len(text)
            if before >= limit:
                return len(text)
            if before + len(text) > limit:
                text = text[: limit - before]
            return write(self, text)

        iostream.OutStream.write = capped
    module = types.ModuleType(settings["wire_module"])
    module.__file__ = "autograder/wire.py"
    sys.modules[module.__name__] = module
    exec(compile(settings["wire"], module.__file__, "exec"), module.__dict__)
    sys.argv[0] = "ipykernel_launcher"


_launch()
del _launch
from ipykernel import kernelapp

kernelapp.launch_new_instance()
"""


@dataclass
class KernelPlan:
    """How one kernel is started: sandboxed or not, where, with what limits."""

    limits: Limits
    sandboxed: bool
    files: Path | None = None  # the submission's other files, shown read-only in its home
    protected: tuple[str, ...] = ()  # folders to hide should they lie inside a bound one
    gpu: bool = False
    mpl_cache: str | None = None
    #: text a cell may print, kept in the kernel (above the grader's own cap, so that the
    #: grader still sees that it was cut); 0: no cap
    output_bytes: int = 0

    def settings(self) -> dict[str, Any]:
        return {
            "file_bytes": self.limits.file_mb * 2**20,
            "open_files": self.limits.open_files,
            "processes": self.limits.processes if _root() else _own_processes() + 256,
            "cpu_seconds": self.limits.cpu_seconds,
            "preload": list(PRELOAD),
            "output_bytes": self.output_bytes,
            "wire": Path(wire.__file__).read_text(),
            "wire_module": wire.KERNEL_MODULE,
            # unsandboxed, the kernel uses the user's own matplotlib settings and cache
            "mpl_cache": "/autograder/mpl" if self.sandboxed and self.mpl_cache else None,
            "home": HOME if self.sandboxed else None,  # unsandboxed: the working folder given
            # a root grader copies them in MOUNT; otherwise the launcher does
            "files": FILES if self.sandboxed and self.files is not None and not _root() else None,
        }


def _root() -> bool:
    return os.geteuid() == 0


def _own_processes() -> int:
    """How many processes and threads this user runs now (RLIMIT_NPROC counts them all)."""
    uid, count = os.getuid(), 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry}/task"))
            except OSError:
                continue
    return count


class SandboxedKernelManager(KernelManager):
    """A KernelManager whose kernel runs under :data:`LAUNCHER`, inside bwrap when planned.

    Set :attr:`plan` and :attr:`ipc_dir` before ``start_kernel``; the manager then uses the
    ``ipc`` transport with its sockets and connection file in ``ipc_dir``.
    """

    plan: KernelPlan
    ipc_dir: Path
    uid: int = 0

    def write_connection_file(self, **kwargs: Any) -> None:
        super().write_connection_file(**kwargs)
        if self.plan.sandboxed and self.uid and _root():  # the kernel's user must read it
            os.chown(self.connection_file, self.uid, self.uid)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        python = sys.executable
        kernel = [
            python, "-c", LAUNCHER, json.dumps(self.plan.settings()),
            "-f", self.connection_file, *(extra_arguments or []),
        ]  # fmt: skip
        if not self.plan.sandboxed:
            return kernel
        if not _root():
            return [*self._bwrap(), "--", *kernel]
        limits = self.plan.limits
        mounts = [str(limits.scratch_mb * 2**20), str(limits.scratch_files), str(self.uid)]
        for i, (mode, path) in enumerate(self._in_scratch()):
            mounts += [mode, f"{ASIDE}/{i}", path]
        mounts.append("--")
        return [*self._bwrap(), "--", "sh", "-c", MOUNT, "sh", *mounts, *self._drop_privileges(), *kernel]  # fmt: skip

    def _in_scratch(self) -> list[tuple[str, str]]:
        """(ro|rw, path) of the folders the kernel needs that lie inside a scratch folder,
        which would hide them: the sockets' folder (rw) and any Python path (ro)."""
        found = [("rw", str(self.ipc_dir))] if _root() else []
        found += [("ro", p) for p in _python_paths() if any(_inside(p, f) for f in SCRATCH)]
        return found

    def _bwrap(self) -> list[str]:
        plan = self.plan
        scratch = str(plan.limits.scratch_mb * 2**20)
        args = _bwrap_base()
        if plan.gpu:
            for device in GPU_DEVICES:
                args += ["--dev-bind-try", device, device]
            args += ["--ro-bind-try", "/sys", "/sys"]
        for path in plan.protected:
            args += ["--tmpfs", path]
        args += ["--perms", "0755", "--dir", "/autograder"]  # what the sandbox is lent
        if _root():
            # the scratch file systems are mounted by MOUNT, inside, with a bound number of
            # files too (bwrap's --tmpfs bounds bytes only); what lies inside them (the
            # sockets' folder, a virtual environment under /tmp) is bound aside and put back
            args += ["--dir", "/tmp", "--dir", HOME]
            for i, (mode, path) in enumerate(self._in_scratch()):
                args += ["--bind" if mode == "rw" else "--ro-bind", path, f"{ASIDE}/{i}"]
        else:
            for folder in SCRATCH:
                args += ["--perms", "1777", "--size", scratch, "--tmpfs", folder]
            for _, path in self._in_scratch():  # bound again over the new scratch folders
                args += _bind_with_parents(path)
            args += ["--bind", str(self.ipc_dir), str(self.ipc_dir)]
        if plan.files is not None:
            # the launcher copies regular files and folders from here into the kernel's home;
            # a link in the submission resolves inside the sandbox, where it leads nowhere
            args += ["--ro-bind", str(plan.files), FILES]
        if plan.mpl_cache:
            args += ["--ro-bind", plan.mpl_cache, "/autograder/mpl"]
        args += ["--chdir", "/", "--clearenv"]
        for key, value in self._env().items():
            args += ["--setenv", key, value]
        return args

    def _env(self) -> dict[str, str]:
        env = {
            "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
            "HOME": HOME,
            # the kernel's user id has no account: getpass.getuser() (which torch 2.11 calls
            # when it first imports torch._dynamo, e.g. for an operation on the meta device)
            # reads these first and would otherwise raise KeyError
            "USER": "student",
            "LOGNAME": "student",
            "LANG": "C.UTF-8",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "MPLCONFIGDIR": f"{HOME}/.config/matplotlib",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "PYTHONNOUSERSITE": "1",
            "MALLOC_ARENA_MAX": "4",  # each thread's malloc arena maps 64 MB of address space
        }
        for key in ("CUDA_VISIBLE_DEVICES", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            if key in os.environ:
                env[key] = os.environ[key]
        return env

    def _drop_privileges(self) -> list[str]:
        if os.geteuid() != 0:
            return []
        uid = str(self.uid)
        return [
            "setpriv", "--reuid", uid, "--regid", uid, "--clear-groups", "--inh-caps=-all",
            "--bounding-set=-all",
        ]  # fmt: skip


def new_uid() -> int:
    """A user id for one sandboxed kernel (the per-user process limit counts it alone)."""
    return random.randint(*UID_RANGE)


def make_ipc_dir(uid: int | None) -> Path:
    """A private folder for one kernel's sockets and connection file."""
    folder = Path(tempfile.mkdtemp(prefix="autograder-kernel-"))
    if uid is not None and os.geteuid() == 0:
        os.chown(folder, uid, uid)  # the kernel creates its sockets here
    return folder


def seal_ipc_dir(folder: Path) -> None:
    """Once the kernel's sockets exist: the kernel may no longer create files there."""
    if os.geteuid() == 0:
        os.chown(folder, 0, 0)
        folder.chmod(0o755)


@functools.cache
def matplotlib_cache() -> str | None:
    """A folder holding matplotlib's font list, built once, copied into each kernel's home
    (without it every kernel would rebuild the list, seconds each time)."""
    folder = Path(tempfile.gettempdir()) / f"autograder-mpl-{os.getuid()}"
    if not any(folder.glob("fontlist-*.json")):
        folder.mkdir(exist_ok=True)
        env = {**os.environ, "MPLCONFIGDIR": str(folder)}
        try:
            subprocess.run(
                [sys.executable, "-c", "import matplotlib.font_manager"],
                env=env,
                capture_output=True,
                timeout=120,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            return None
    return str(folder) if any(folder.glob("fontlist-*.json")) else None


# ---------------------------------------------------------------------------------------------
# the kernel's processes, seen from the grader


def descendants(root: int) -> list[int]:
    """``root`` and every process below it, from /proc (its threads' ``children`` lists where
    the kernel provides them, else the parent pids of all processes)."""
    try:
        return _descendants_by_children(root)
    except OSError:
        return _descendants_by_parent(root)


def _descendants_by_children(root: int) -> list[int]:
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except FileNotFoundError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    todo.extend(int(child) for child in fh.read().split())
            except FileNotFoundError:
                continue
    return found


def _descendants_by_parent(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        parent = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(root: int) -> float:
    """CPU time used by ``root`` and its descendants, finished children included."""
    total = 0
    for pid in descendants(root):
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()
        total += sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    return total / _TICKS


def kernel_process(root: int, connection_file: str) -> int | None:
    """The kernel's own process among ``root``'s descendants (it gets the interrupts)."""
    marker = connection_file.encode()
    for pid in descendants(root):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                argv = fh.read().split(b"\0")
        except OSError:
            continue
        if marker in argv and b"bwrap" not in argv[0] and b"setpriv" not in argv[0]:
            return pid
    return None
