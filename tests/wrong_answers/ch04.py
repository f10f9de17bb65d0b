"""Plausible wrong answers to the Chapter 4 exercises: tests of the tests.

Each entry replaces one solution cell of ``solutions/ch04/ch04_exercises.ipynb`` with what a
student might submit: the reference solution with one plausible mistake. Grading the notebook
with that cell must make exactly the test cells in ``fails`` lose their points, while every
other test cell keeps them.

The solution cells are long (a training loop, a pipeline), so each entry is written as edits
of the reference cell: ``(correct text, wrong text)`` pairs, each of which must occur exactly
once in the cell. The mistake is all that an entry shows.
"""

from __future__ import annotations

import json
from pathlib import Path

_SOURCE = Path(__file__).resolve().parents[2] / "solutions" / "ch04" / "ch04_exercises.ipynb"
_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def _solution_cells() -> dict[str, str]:
    """The reference solution cells by grade_id, without the region markers."""
    cells = json.loads(_SOURCE.read_text(encoding="utf-8"))["cells"]
    out = {}
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            source = "".join(cell["source"])
            lines = [line for line in source.split("\n") if line.strip() not in _MARKERS]
            out[meta["grade_id"]] = "\n".join(lines)
    return out


_CORRECT = _solution_cells()


def _wrong(name: str, cell: str, edits: list[tuple[str, str]], fails: list[str]) -> dict:
    source = _CORRECT[cell]
    for old, new in edits:
        if source.count(old) != 1:
            raise ValueError(f"{name}: {old!r} occurs {source.count(old)} times in {cell}")
        source = source.replace(old, new)
    return {"name": name, "cell": cell, "source": source, "fails": fails}


WRONG_ANSWERS: list[dict] = [
    # 4.1 ------------------------------------------------------------------------------
    _wrong(
        "ex4_1 no optimizer.zero_grad(): gradients accumulate over the batches",
        "ex4_1_solution",
        [("            optimizer.zero_grad()\n", "")],
        ["ex4_1_tests"],
    ),
    # 4.2 ------------------------------------------------------------------------------
    _wrong(
        "ex4_2 Huber loss with delta fixed at 1",
        "ex4_2_solution",
        [
            (
                "torch.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta))",
                "torch.where(a <= 1.0, 0.5 * r**2, a - 0.5)",
            ),
        ],
        ["ex4_2_tests"],
    ),
    # 4.3 ------------------------------------------------------------------------------
    _wrong(
        "ex4_3 AdamW's weight decay added to the gradient (L2), not decoupled",
        "ex4_3_solution",
        [
            (
                "    if decoupled:\n        param = param * (1 - lr * weight_decay)\n    else:\n"
                "        grad = grad + weight_decay * param\n",
                "    grad = grad + weight_decay * param\n",
            ),
        ],
        ["ex4_3_tests"],
    ),
    # 4.4 ------------------------------------------------------------------------------
    _wrong(
        "ex4_4 the range test leaves the model trained (parameters not restored)",
        "ex4_4_solution",
        [("    model.load_state_dict(saved)\n", "")],
        ["ex4_4_tests"],
    ),
    # 4.5 ------------------------------------------------------------------------------
    _wrong(
        "ex4_5 validation without model.eval() (dropout still active)",
        "ex4_5_solution",
        [("        model.eval()\n", "")],
        ["ex4_5_tests"],
    ),
    # 4.6 ------------------------------------------------------------------------------
    _wrong(
        "ex4_6 best checkpoint stored as model.state_dict() without a copy",
        "ex4_6_solution",
        [
            (
                "self.best_state = copy.deepcopy(model.state_dict())",
                "self.best_state = model.state_dict()",
            )
        ],
        ["ex4_6_tests_stopping", "ex4_6_tests_fit"],
    ),
    _wrong(
        "ex4_6 scheduler stepped after every batch instead of once per epoch",
        "ex4_6_solution",
        [
            (
                "            optimizer.step()\n            total += loss.item() * len(idx)\n",
                "            optimizer.step()\n            scheduler.step()\n"
                "            total += loss.item() * len(idx)\n",
            ),
            (
                '        history["val_loss"].append(val_loss)\n        scheduler.step()\n',
                '        history["val_loss"].append(val_loss)\n',
            ),
        ],
        ["ex4_6_tests_fit"],
    ),
    # 4.7 ------------------------------------------------------------------------------
    _wrong(
        "ex4_7 bug (a) left in: Softmax at the end of the classifier",
        "ex4_7_solution",
        [("nn.Linear(64, n_classes)\n", "nn.Linear(64, n_classes), nn.Softmax(dim=1)\n")],
        ["ex4_7_tests_a"],
    ),
    _wrong(
        "ex4_7 bug (b) left in: no optimizer.zero_grad()",
        "ex4_7_solution",
        [("            optimizer.zero_grad()  # (b) clear the previous batch's gradients\n", "")],
        # It also trains too badly to reach the accuracy of part (e).
        ["ex4_7_tests_b", "ex4_7_tests_e"],
    ),
    _wrong(
        "ex4_7 bug (c) half fixed: model.train() never called after the first validation",
        "ex4_7_solution",
        [("        model.train()  # (c) back to train mode after each validation pass\n", "")],
        ["ex4_7_tests_c"],
    ),
    _wrong(
        "ex4_7 bug (d) left in: loss tensors summed and averaged per batch",
        "ex4_7_solution",
        [
            ("total += loss.item() * len(xb)", "total += loss"),
            ("total / n)", "total / math.ceil(n / batch_size))"),
        ],
        ["ex4_7_tests_d"],
    ),
]
