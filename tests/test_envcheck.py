"""The students' environment check: PASS on a working set-up, FAIL with a reason otherwise."""

import subprocess
import sys

import torch

from torchbook import envcheck


def test_every_check_passes_on_this_machine():
    results = envcheck.run_checks(torch.device("cpu"))
    assert [name for name, _, _ in results] == [name for name, _ in envcheck.CHECKS]
    failed = [(name, detail) for name, passed, detail in results if not passed]
    assert not failed


def test_a_failing_check_is_reported_and_the_others_still_run(monkeypatch, capsys):
    def broken(device):
        raise AssertionError("loss went up")

    checks = list(envcheck.CHECKS)
    checks[1] = ("Tensors and autograd", broken)
    monkeypatch.setattr(envcheck, "CHECKS", checks)
    status = envcheck.main(["cpu"])
    out = capsys.readouterr().out
    assert status == 1
    assert "Test 2: Tensors and autograd" in out and "[FAIL]" in out
    assert "AssertionError: loss went up" in out
    assert out.count("[PASS]") == len(checks) - 1
    assert "FAIL: 1 of 6 checks failed" in out


def test_command_line_prints_pass_and_exits_zero():
    done = subprocess.run(
        [sys.executable, "-m", "torchbook.envcheck", "cpu"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("[PASS]") == 6
    assert "PASS: all 6 checks passed." in done.stdout
