"""The students' JupyterLab: nbgrader's Validate button is installed and grades with our settings.

The button posts the notebook's path to the server extension ``/assignments/validate``; this
test starts a real Jupyter server the way ``make lab`` does and calls that endpoint.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from autograder.notebooks import fill_solutions, read, write

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TOKEN = "torchbook-test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_validate_button_is_enabled_in_jupyterlab():
    done = subprocess.run(
        [str(BIN / "jupyter"), "labextension", "list"], capture_output=True, text=True, timeout=120
    )
    listing = done.stdout + done.stderr
    line = next((x for x in listing.splitlines() if "@jupyter/nbgrader" in x), "")
    assert "enabled" in line and "OK" in line, listing


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A Jupyter server on localhost, configured like ``make lab``, over a folder of notebooks."""
    work = tmp_path_factory.mktemp("lab")
    release = read(ROOT / "exercises" / "ch01" / "ch01_exercises.ipynb")
    source = read(ROOT / "solutions" / "ch01" / "ch01_exercises.ipynb")
    write(fill_solutions(release, source), work / "finished.ipynb")
    write(release, work / "untouched.ipynb")
    port = free_port()
    log = (work / "server.log").open("w")
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(ROOT / "autograder")}
    proc = subprocess.Popen(
        [str(BIN / "jupyter"), "server", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={work}", "--allow-root"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"the Jupyter server did not start:\n{(work / 'server.log').read_text()}")
    yield url
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def validate(url: str, name: str) -> dict:
    request = urllib.request.Request(
        f"{url}/assignments/validate?token={TOKEN}",
        data=urllib.parse.urlencode({"path": name}).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=300) as reply:
        return json.loads(reply.read())


@pytest.mark.slow
def test_validate_passes_a_finished_notebook(server):
    reply = validate(server, "finished.ipynb")
    assert reply["success"], reply
    assert reply["value"] == {}, reply["value"]


@pytest.mark.slow
def test_validate_lists_every_failing_test_of_an_untouched_notebook(server):
    reply = validate(server, "untouched.ipynb")
    assert reply["success"], reply
    failed = reply["value"].get("failed", [])
    release = read(ROOT / "exercises" / "ch01" / "ch01_exercises.ipynb")
    graded = [c for c in release.cells if c.metadata.get("nbgrader", {}).get("grade")]
    tests = {c.source.strip() for c in graded if c.cell_type == "code"}
    answers = {c.source.strip() for c in graded if c.cell_type == "markdown"}
    failed_tests = [f for f in failed if f["source"] in tests]
    assert {f["source"] for f in failed_tests} == tests, "every test cell should fail"
    assert all("NotImplementedError" in f["raw_error"] for f in failed_tests)
    # An unanswered written answer is flagged too; nothing else is.
    assert {f["source"] for f in failed} - tests <= answers
