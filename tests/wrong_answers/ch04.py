"""Plausible wrong answers to the Chapter 4 exercises: tests of the tests.

Each entry replaces one solution cell of ``solutions/ch04/ch04_exercises.ipynb`` with what a
student might submit: the reference solution with one plausible mistake. Grading the notebook
with that cell must make exactly the test cells in ``fails`` lose their points, each on one of
the clauses in ``breaks`` (keys of the cells' CONTRACT), while every other test cell keeps them.

The solution cells are long (a training loop, a pipeline), so each entry is written as edits
of the reference cell: ``(correct text, wrong text)`` pairs, each of which must occur exactly
once in the cell. The mistake is all that an entry shows.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from autograder.corpus import edited_answer, solution_cells

_SOURCE = Path(__file__).resolve().parents[2] / "solutions" / "ch04" / "ch04_exercises.ipynb"


_CORRECT = solution_cells(_SOURCE)
_wrong = partial(edited_answer, _CORRECT)

WRONG_ANSWERS: list[dict] = [
    # 4.1 ------------------------------------------------------------------------------
    _wrong(
        "ex4_1 Tanh activations instead of ReLU",
        "ex4_1_solution",
        [
            (
                "nn.Linear(1, 50), nn.ReLU(), nn.Linear(50, 50), nn.ReLU(), nn.Linear(50, 1)",
                "nn.Linear(1, 50), nn.Tanh(), nn.Linear(50, 50), nn.Tanh(), nn.Linear(50, 1)",
            )
        ],
        ["ex4_1_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex4_1 64 hidden units instead of 50",
        "ex4_1_solution",
        [
            (
                "nn.Linear(1, 50), nn.ReLU(), nn.Linear(50, 50), nn.ReLU(), nn.Linear(50, 1)",
                "nn.Linear(1, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1)",
            )
        ],
        ["ex4_1_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex4_1 a ReLU after the output layer too",
        "ex4_1_solution",
        [("nn.ReLU(), nn.Linear(50, 1)\n", "nn.ReLU(), nn.Linear(50, 1), nn.ReLU()\n")],
        ["ex4_1_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex4_1 no optimizer.zero_grad(): gradients accumulate over the batches",
        "ex4_1_solution",
        [("            optimizer.zero_grad()\n", "")],
        ["ex4_1_tests_training"],
        ["training"],
    ),
    _wrong(
        "ex4_1 the generator re-created in every epoch (the same order every epoch)",
        "ex4_1_solution",
        [
            ("    gen = torch.Generator().manual_seed(seed)\n", ""),
            (
                "        perm = torch.randperm(n, generator=gen)\n",
                "        gen = torch.Generator().manual_seed(seed)\n"
                "        perm = torch.randperm(n, generator=gen)\n",
            ),
        ],
        ["ex4_1_tests_training"],
        ["training"],
    ),
    _wrong(
        "ex4_1 torch.randperm without the generator (the global random state)",
        "ex4_1_solution",
        [("perm = torch.randperm(n, generator=gen)", "perm = torch.randperm(n)")],
        ["ex4_1_tests_training"],
        ["training"],
    ),
    _wrong(
        "ex4_1 SGD instead of Adam",
        "ex4_1_solution",
        [
            (
                "torch.optim.Adam(model.parameters(), lr=lr)",
                "torch.optim.SGD(model.parameters(), lr=lr)",
            )
        ],
        ["ex4_1_tests_training"],
        ["training"],
    ),
    _wrong(
        "ex4_1 the epoch loss as the mean of the batch losses (the last batch counts too much)",
        "ex4_1_solution",
        [
            ("total += loss.item() * len(idx)", "total += loss.item()"),
            ("history.append(total / n)", "history.append(total / math.ceil(n / batch_size))"),
        ],
        ["ex4_1_tests_training"],
        ["sample-mean"],
    ),
    _wrong(
        "ex4_1 the loss tensors summed (the history holds tensors, not floats)",
        "ex4_1_solution",
        [("total += loss.item() * len(idx)", "total += loss * len(idx)")],
        ["ex4_1_tests_training"],
        ["history"],
    ),
    _wrong(
        "ex4_1 model.train() once, before the first epoch",
        "ex4_1_solution",
        [
            (
                "    history = []\n    for _ in range(epochs):\n        model.train()\n",
                "    history = []\n    model.train()\n    for _ in range(epochs):\n",
            ),
        ],
        ["ex4_1_tests_training"],
        ["train-mode"],
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
        ["ex4_2_tests_loss"],
        ["values"],
    ),
    _wrong(
        "ex4_2 Huber's linear part as delta |r| - delta / 2 (right only for delta = 1)",
        "ex4_2_solution",
        [("delta * (a - 0.5 * delta)", "delta * a - 0.5 * delta")],
        ["ex4_2_tests_loss"],
        ["values"],
    ),
    _wrong(
        "ex4_2 the losses summed instead of averaged",
        "ex4_2_solution",
        [
            ("return (r**2).mean()", "return (r**2).sum()"),
            ("return r.abs().mean()", "return r.abs().sum()"),
            ("delta * (a - 0.5 * delta)).mean()", "delta * (a - 0.5 * delta)).sum()"),
        ],
        ["ex4_2_tests_loss"],
        ["values"],
    ),
    _wrong(
        "ex4_2 the kinds looked up in a dict (KeyError, not ValueError, for other kinds)",
        "ex4_2_solution",
        [
            (
                '    r = pred - target\n    if kind == "mse":',
                '    r = pred - target\n    {"mse": 0, "l1": 1, "huber": 2}[kind]\n'
                '    if kind == "mse":',
            ),
        ],
        ["ex4_2_tests_loss"],
        ["value-error"],
    ),
    _wrong(
        "ex4_2 other kinds return None instead of raising",
        "ex4_2_solution",
        [
            (
                "    raise ValueError(f\"unknown loss kind {kind!r}: use 'mse', 'l1' or 'huber'\")",
                "    return None",
            )
        ],
        ["ex4_2_tests_loss"],
        ["value-error"],
    ),
    _wrong(
        "ex4_2 the loss returned as a Python number (.item())",
        "ex4_2_solution",
        [
            ("return (r**2).mean()", "return (r**2).mean().item()"),
            ("return r.abs().mean()", "return r.abs().mean().item()"),
            ("delta * (a - 0.5 * delta)).mean()", "delta * (a - 0.5 * delta)).mean().item()"),
        ],
        # fit_line cannot call backward() on a number
        ["ex4_2_tests_loss", "ex4_2_tests_fit"],
        ["dtype-device", "adam-from-zero"],
    ),
    _wrong(
        "ex4_2 the residual cast to float32 (float64 inputs give a float32 loss)",
        "ex4_2_solution",
        [("    r = pred - target\n", "    r = (pred - target).float()\n")],
        ["ex4_2_tests_loss"],
        ["dtype-device"],
    ),
    _wrong(
        "ex4_2 Huber with torch.full and torch.zeros created on the CPU",
        "ex4_2_solution",
        [
            (
                "        return torch.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta)).mean()",
                "        small = torch.minimum(a, torch.full(a.shape, delta, dtype=a.dtype))\n"
                "        zero = torch.zeros(a.shape, dtype=a.dtype)\n"
                "        return (0.5 * small**2 + delta * torch.maximum(a - delta, zero)).mean()",
            )
        ],
        ["ex4_2_tests_loss"],
        ["dtype-device"],
    ),
    _wrong(
        "ex4_2 the residual computed in place in pred",
        "ex4_2_solution",
        [("    r = pred - target\n", "    r = pred\n    r -= target\n")],
        ["ex4_2_tests_loss"],
        ["unchanged"],
    ),
    _wrong(
        "ex4_2 the loss computed under torch.no_grad() (no gradient reaches pred)",
        "ex4_2_solution",
        [
            (
                "    r = pred - target\n    if kind",
                "    with torch.no_grad():\n        r = pred - target\n    if kind",
            ),
        ],
        ["ex4_2_tests_loss", "ex4_2_tests_fit"],
        ["differentiable", "adam-from-zero"],
    ),
    _wrong(
        "ex4_2 Huber by F.huber_loss",
        "ex4_2_solution",
        [
            (
                "        a = r.abs()\n        return torch.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta)).mean()",
                "        return F.huber_loss(pred, target, delta=delta)",
            )
        ],
        ["ex4_2_tests_loss"],
        ["no-nn-losses"],
    ),
    _wrong(
        "ex4_2 the line started from random values",
        "ex4_2_solution",
        [
            (
                "    a = torch.zeros((), dtype=x.dtype, device=x.device, requires_grad=True)\n"
                "    b = torch.zeros((), dtype=x.dtype, device=x.device, requires_grad=True)\n",
                "    a = torch.randn((), dtype=x.dtype, device=x.device, requires_grad=True)\n"
                "    b = torch.randn((), dtype=x.dtype, device=x.device, requires_grad=True)\n",
            )
        ],
        ["ex4_2_tests_fit"],
        ["adam-from-zero"],
    ),
    _wrong(
        "ex4_2 SGD instead of Adam",
        "ex4_2_solution",
        [("torch.optim.Adam([a, b], lr=lr)", "torch.optim.SGD([a, b], lr=lr)")],
        ["ex4_2_tests_fit"],
        ["adam-from-zero"],
    ),
    _wrong(
        "ex4_2 the learning rate fixed at 0.05",
        "ex4_2_solution",
        [("torch.optim.Adam([a, b], lr=lr)", "torch.optim.Adam([a, b], lr=0.05)")],
        ["ex4_2_tests_fit"],
        ["adam-from-zero"],
    ),
    _wrong(
        "ex4_2 one step short (range(1, steps))",
        "ex4_2_solution",
        [("    for _ in range(steps):\n", "    for _ in range(1, steps):\n")],
        ["ex4_2_tests_fit"],
        ["adam-from-zero"],
    ),
    _wrong(
        "ex4_2 a and b returned as tensors",
        "ex4_2_solution",
        [("return a.item(), b.item()", "return a.detach(), b.detach()")],
        ["ex4_2_tests_fit"],
        ["floats"],
    ),
    # 4.3 ------------------------------------------------------------------------------
    _wrong(
        "ex4_3 the momentum buffer updated in place (changes the caller's buf)",
        "ex4_3_solution",
        [
            (
                "    new_buf = momentum * buf + grad\n",
                "    new_buf = buf.mul_(momentum).add_(grad)\n",
            )
        ],
        ["ex4_3_tests_momentum"],
        ["pure"],
    ),
    _wrong(
        "ex4_3 the parameter updated in place under no_grad, as an optimizer does",
        "ex4_3_solution",
        [
            (
                "    return param - lr * new_buf, new_buf\n",
                "    with torch.no_grad():\n        param -= lr * new_buf\n    return param, new_buf\n",
            )
        ],
        ["ex4_3_tests_momentum"],
        ["pure"],
    ),
    _wrong(
        "ex4_3 momentum with dampening: buf = momentum * buf + (1 - momentum) * grad",
        "ex4_3_solution",
        [
            (
                "    new_buf = momentum * buf + grad\n",
                "    new_buf = momentum * buf + (1 - momentum) * grad\n",
            )
        ],
        ["ex4_3_tests_momentum"],
        ["update"],
    ),
    _wrong(
        "ex4_3 the parameter moved with the old buffer",
        "ex4_3_solution",
        [("    return param - lr * new_buf, new_buf\n", "    return param - lr * buf, new_buf\n")],
        ["ex4_3_tests_momentum"],
        ["update"],
    ),
    _wrong(
        "ex4_3 a fresh float32 buffer from torch.zeros (the dtype and device of buf are lost)",
        "ex4_3_solution",
        [
            (
                "    new_buf = momentum * buf + grad\n",
                "    new_buf = torch.zeros(buf.shape)\n    new_buf += momentum * buf + grad\n",
            )
        ],
        ["ex4_3_tests_momentum"],
        ["dtype-device"],
    ),
    _wrong(
        "ex4_3 Adam without bias correction",
        "ex4_3_solution",
        [
            (
                "    m_hat = m / (1 - beta1**t)\n    v_hat = v / (1 - beta2**t)\n",
                "    m_hat, v_hat = m, v\n",
            )
        ],
        ["ex4_3_tests_adam"],
        ["update"],
    ),
    _wrong(
        "ex4_3 eps inside the square root",
        "ex4_3_solution",
        [("(v_hat.sqrt() + eps)", "(v_hat + eps).sqrt()")],
        ["ex4_3_tests_adam"],
        ["update"],
    ),
    _wrong(
        "ex4_3 the second moment of the gradient, not of its square",
        "ex4_3_solution",
        [("(1 - beta2) * grad**2", "(1 - beta2) * grad.abs()")],
        ["ex4_3_tests_adam"],
        ["update"],
    ),
    _wrong(
        "ex4_3 the moments m and v updated in place",
        "ex4_3_solution",
        [
            (
                "    m = beta1 * m + (1 - beta1) * grad\n    v = beta2 * v + (1 - beta2) * grad**2\n",
                "    m.mul_(beta1).add_((1 - beta1) * grad)\n    v.mul_(beta2).add_((1 - beta2) * grad**2)\n",
            )
        ],
        ["ex4_3_tests_adam"],
        ["pure"],
    ),
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
        ["ex4_3_tests_adam"],
        ["weight-decay"],
    ),
    _wrong(
        "ex4_3 AdamW's decay without the learning rate: param * (1 - weight_decay)",
        "ex4_3_solution",
        [("param = param * (1 - lr * weight_decay)", "param = param * (1 - weight_decay)")],
        ["ex4_3_tests_adam"],
        ["weight-decay"],
    ),
    _wrong(
        "ex4_3 AdamW's decay applied after the Adam step",
        "ex4_3_solution",
        [
            (
                "    if decoupled:\n        param = param * (1 - lr * weight_decay)\n    else:\n"
                "        grad = grad + weight_decay * param\n",
                "    if not decoupled:\n        grad = grad + weight_decay * param\n",
            ),
            (
                "    return param - lr * m_hat / (v_hat.sqrt() + eps), m, v",
                "    param = param - lr * m_hat / (v_hat.sqrt() + eps)\n"
                "    if decoupled:\n        param = param * (1 - lr * weight_decay)\n"
                "    return param, m, v",
            ),
        ],
        ["ex4_3_tests_adam"],
        ["weight-decay"],
    ),
    _wrong(
        "ex4_3 the bias corrections as one-element tensors created on the CPU",
        "ex4_3_solution",
        [
            (
                "    m_hat = m / (1 - beta1**t)\n    v_hat = v / (1 - beta2**t)\n",
                "    corrections = torch.tensor([1 - beta1**t, 1 - beta2**t], dtype=m.dtype)\n"
                "    m_hat = m / corrections[:1]\n    v_hat = v / corrections[1:]\n",
            )
        ],
        ["ex4_3_tests_adam"],
        ["dtype-device"],
    ),
    _wrong(
        "ex4_3 without momentum, a zero buffer term from torch.zeros (on the CPU)",
        "ex4_3_solution",
        [
            (
                "    new_buf = momentum * buf + grad\n",
                "    decayed = torch.zeros(buf.shape, dtype=buf.dtype) if momentum == 0 else momentum * buf\n"
                "    new_buf = decayed + grad\n",
            )
        ],
        ["ex4_3_tests_momentum"],
        ["dtype-device"],
    ),
    _wrong(
        "ex4_3 without weight decay, Adam's L2 term from torch.zeros (on the CPU)",
        "ex4_3_solution",
        [
            (
                "        grad = grad + weight_decay * param\n",
                "        decay = (\n"
                "            torch.zeros(param.shape, dtype=param.dtype)\n"
                "            if weight_decay == 0\n"
                "            else weight_decay * param\n"
                "        )\n"
                "        grad = grad + decay\n",
            )
        ],
        ["ex4_3_tests_adam"],
        ["dtype-device"],
    ),
    _wrong(
        "ex4_3 without weight decay, AdamW's factor from torch.ones (on the CPU)",
        "ex4_3_solution",
        [
            (
                "        param = param * (1 - lr * weight_decay)\n",
                "        if weight_decay == 0:\n"
                "            param = param * torch.ones(param.shape, dtype=param.dtype)\n"
                "        else:\n"
                "            param = param * (1 - lr * weight_decay)\n",
            )
        ],
        ["ex4_3_tests_adam"],
        ["dtype-device"],
    ),
    # 4.4 ------------------------------------------------------------------------------
    _wrong(
        "ex4_4 the range test leaves the model trained (parameters not restored)",
        "ex4_4_solution",
        [("    model.load_state_dict(saved)\n", "")],
        ["ex4_4_tests_range"],
        ["restore"],
    ),
    _wrong(
        "ex4_4 the state_dict saved without a copy (it follows the training)",
        "ex4_4_solution",
        [("saved = copy.deepcopy(model.state_dict())", "saved = model.state_dict()")],
        ["ex4_4_tests_range"],
        ["restore"],
    ),
    _wrong(
        "ex4_4 the divergence checked before recording (the last loss is missing)",
        "ex4_4_solution",
        [
            (
                "        value = loss.item()\n        lrs.append(lr)\n        losses.append(value)\n"
                "        best = min(best, value)\n"
                "        if not math.isfinite(value) or value > diverge_factor * best:\n"
                "            break\n",
                "        value = loss.item()\n"
                "        if not math.isfinite(value) or value > diverge_factor * best:\n"
                "            break\n"
                "        lrs.append(lr)\n        losses.append(value)\n        best = min(best, value)\n",
            )
        ],
        ["ex4_4_tests_range"],
        ["stop"],
    ),
    _wrong(
        "ex4_4 divergence measured against the first loss, not the smallest",
        "ex4_4_solution",
        [("        best = min(best, value)\n", "        best = min(best, losses[0])\n")],
        ["ex4_4_tests_range"],
        ["stop"],
    ),
    _wrong(
        "ex4_4 the exponent k / num_steps (the last rate falls short of lr_max)",
        "ex4_4_solution",
        [("** (k / (num_steps - 1))", "** (k / num_steps)")],
        ["ex4_4_tests_range"],
        ["schedule"],
    ),
    _wrong(
        "ex4_4 the new rate recorded but never given to the optimizer",
        "ex4_4_solution",
        [('        for group in optimizer.param_groups:\n            group["lr"] = lr\n', "")],
        ["ex4_4_tests_range"],
        ["run"],
    ),
    _wrong(
        "ex4_4 no zero_grad() between the steps",
        "ex4_4_solution",
        [("        optimizer.zero_grad()\n        loss.backward()\n", "        loss.backward()\n")],
        ["ex4_4_tests_range"],
        ["run"],
    ),
    _wrong(
        "ex4_4 the losses recorded as tensors",
        "ex4_4_solution",
        [("        losses.append(value)\n", "        losses.append(loss.detach())\n")],
        ["ex4_4_tests_range"],
        ["returns"],
    ),
    _wrong(
        "ex4_4 the divergence factor fixed at 4 (diverge_factor ignored)",
        "ex4_4_solution",
        [("value > diverge_factor * best:", "value > 4 * best:")],
        ["ex4_4_tests_range"],
        ["stop"],
    ),
    _wrong(
        "ex4_4 no finiteness check (a nan loss is not larger than anything)",
        "ex4_4_solution",
        [
            (
                "if not math.isfinite(value) or value > diverge_factor * best:",
                "if value > diverge_factor * best:",
            )
        ],
        ["ex4_4_tests_range"],
        ["stop"],
    ),
    _wrong(
        "ex4_4 suggest_lr with torch.argmin (a final nan counts as the smallest)",
        "ex4_4_solution",
        [
            (
                "    best = min(range(len(losses)), key=lambda i: losses[i])\n",
                "    best = int(torch.tensor(losses).argmin())\n",
            )
        ],
        ["ex4_4_tests_suggest"],
        ["rule"],
    ),
    _wrong(
        "ex4_4 suggest_lr multiplies by 10",
        "ex4_4_solution",
        [("    return lrs[best] / 10", "    return lrs[best] * 10")],
        ["ex4_4_tests_suggest"],
        ["rule"],
    ),
    _wrong(
        "ex4_4 suggest_lr picks the steepest fall of the loss instead of its minimum",
        "ex4_4_solution",
        [
            (
                "    best = min(range(len(losses)), key=lambda i: losses[i])\n",
                "    best = min(range(1, len(losses)), key=lambda i: losses[i] - losses[i - 1])\n",
            )
        ],
        ["ex4_4_tests_suggest"],
        ["rule"],
    ),
    # 4.5 ------------------------------------------------------------------------------
    _wrong(
        "ex4_5 make_overfit_mlp without torch.manual_seed(seed)",
        "ex4_5_solution",
        [("    torch.manual_seed(seed)\n    return nn.Sequential(", "    return nn.Sequential(")],
        ["ex4_5_tests_model"],
        ["seed"],
    ),
    _wrong(
        "ex4_5 the seed set after the layers are created",
        "ex4_5_solution",
        [
            (
                "    torch.manual_seed(seed)\n    return nn.Sequential(",
                "    model = nn.Sequential(",
            ),
            (
                "        nn.Linear(hidden, 2),\n    )\n",
                "        nn.Linear(hidden, 2),\n    )\n"
                "    torch.manual_seed(seed)\n    return model\n",
            ),
        ],
        ["ex4_5_tests_model"],
        ["seed"],
    ),
    _wrong(
        "ex4_5 dropout after the first hidden layer only",
        "ex4_5_solution",
        [
            (
                "        nn.ReLU(),\n        nn.Dropout(dropout),\n        nn.Linear(hidden, 2),",
                "        nn.ReLU(),\n        nn.Linear(hidden, 2),",
            )
        ],
        ["ex4_5_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex4_5 dropout before the activation",
        "ex4_5_solution",
        [
            (
                "        nn.Linear(2, hidden),\n        nn.ReLU(),\n        nn.Dropout(dropout),\n",
                "        nn.Linear(2, hidden),\n        nn.Dropout(dropout),\n        nn.ReLU(),\n",
            )
        ],
        ["ex4_5_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex4_5 the output layer without a bias",
        "ex4_5_solution",
        [("        nn.Linear(hidden, 2),\n", "        nn.Linear(hidden, 2, bias=False),\n")],
        ["ex4_5_tests_model"],
        ["layers"],
    ),
    _wrong(
        "ex4_5 Adam instead of AdamW (weight decay as an L2 term)",
        "ex4_5_solution",
        [
            (
                "torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)",
                "torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)",
            )
        ],
        ["ex4_5_tests_training"],
        ["run"],
    ),
    _wrong(
        "ex4_5 weight_decay not passed on (AdamW's default 0.01 instead)",
        "ex4_5_solution",
        [
            (
                "torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)",
                "torch.optim.AdamW(model.parameters(), lr=lr)",
            )
        ],
        ["ex4_5_tests_training"],
        ["run"],
    ),
    _wrong(
        "ex4_5 the training loss measured again after the step",
        "ex4_5_solution",
        [
            (
                '        history["train"].append(loss.item())\n',
                "        with torch.no_grad():\n"
                '            history["train"].append(F.cross_entropy(model(x_train), y_train).item())\n',
            )
        ],
        ["ex4_5_tests_training"],
        ["run"],
    ),
    _wrong(
        "ex4_5 the losses recorded as tensors",
        "ex4_5_solution",
        [
            (
                '        history["train"].append(loss.item())\n',
                '        history["train"].append(loss.detach())\n',
            )
        ],
        ["ex4_5_tests_training"],
        ["history"],
    ),
    _wrong(
        "ex4_5 validation without model.eval() (dropout still active)",
        "ex4_5_solution",
        [("        model.eval()\n", "")],
        ["ex4_5_tests_modes"],
        ["eval-mode"],
    ),
    _wrong(
        "ex4_5 validation without torch.no_grad()",
        "ex4_5_solution",
        [
            (
                "        with torch.no_grad():\n"
                '            history["val"].append(F.cross_entropy(model(x_val), y_val).item())\n',
                '        history["val"].append(F.cross_entropy(model(x_val), y_val).item())\n',
            )
        ],
        ["ex4_5_tests_modes"],
        ["no-grad"],
    ),
    _wrong(
        "ex4_5 model.train() once, before the first epoch",
        "ex4_5_solution",
        [
            (
                '    history = {"train": [], "val": []}\n    for _ in range(epochs):\n        model.train()\n',
                '    history = {"train": [], "val": []}\n    model.train()\n    for _ in range(epochs):\n',
            ),
        ],
        ["ex4_5_tests_modes"],
        ["train-mode"],
    ),
    _wrong(
        "ex4_5 overfitting_onset returns the epoch after the minimum",
        "ex4_5_solution",
        [
            (
                "    return min(range(len(val_losses)), key=lambda i: val_losses[i])",
                "    return min(range(len(val_losses)), key=lambda i: val_losses[i]) + 1",
            )
        ],
        ["ex4_5_tests_onset"],
        ["first-min"],
    ),
    _wrong(
        "ex4_5 overfitting_onset returns the last of tied minima",
        "ex4_5_solution",
        [
            (
                "    return min(range(len(val_losses)), key=lambda i: val_losses[i])",
                "    best = min(val_losses)\n"
                "    return max(i for i, v in enumerate(val_losses) if v == best)",
            )
        ],
        ["ex4_5_tests_onset"],
        ["first-min"],
    ),
    _wrong(
        "ex4_5 overfitting_onset returns a tensor (torch.argmin without .item())",
        "ex4_5_solution",
        [
            (
                "    return min(range(len(val_losses)), key=lambda i: val_losses[i])",
                "    return torch.tensor(val_losses).argmin()",
            )
        ],
        ["ex4_5_tests_onset"],
        ["first-min"],
    ),
    # 4.6 ------------------------------------------------------------------------------
    _wrong(
        "ex4_6 the split sizes rounded instead of truncated",
        "ex4_6_solution",
        [
            (
                "n_val, n_test = int(n * val_fraction), int(n * test_fraction)",
                "n_val, n_test = round(n * val_fraction), round(n * test_fraction)",
            )
        ],
        ["ex4_6_tests_split"],
        ["split"],
    ),
    _wrong(
        "ex4_6 the test indices taken first, then the validation indices",
        "ex4_6_solution",
        [
            (
                "return perm[n_val + n_test :], perm[:n_val], perm[n_val : n_val + n_test]",
                "return perm[n_val + n_test :], perm[n_test : n_test + n_val], perm[:n_test]",
            )
        ],
        ["ex4_6_tests_split"],
        ["split"],
    ),
    _wrong(
        "ex4_6 the permutation drawn without the seeded generator",
        "ex4_6_solution",
        [
            (
                "perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))",
                "perm = torch.randperm(n)",
            )
        ],
        ["ex4_6_tests_split"],
        ["split"],
    ),
    _wrong(
        "ex4_6 the indices returned as Python lists",
        "ex4_6_solution",
        [
            (
                "return perm[n_val + n_test :], perm[:n_val], perm[n_val : n_val + n_test]",
                "perm = perm.tolist()\n"
                "    return perm[n_val + n_test :], perm[:n_val], perm[n_val : n_val + n_test]",
            )
        ],
        ["ex4_6_tests_split"],
        ["tensors"],
    ),
    _wrong(
        "ex4_6 an equal validation loss counts as an improvement (<=)",
        "ex4_6_solution",
        [("        if val_loss < self.best_loss:\n", "        if val_loss <= self.best_loss:\n")],
        ["ex4_6_tests_stopping"],
        ["counters"],
    ),
    _wrong(
        "ex4_6 an improvement must beat the best loss by 1e-4 (a min_delta)",
        "ex4_6_solution",
        [
            (
                "        if val_loss < self.best_loss:\n",
                "        if val_loss < self.best_loss - 1e-4:\n",
            )
        ],
        ["ex4_6_tests_stopping"],
        ["counters"],
    ),
    _wrong(
        "ex4_6 num_bad_epochs never reset after an improvement",
        "ex4_6_solution",
        [("            self.num_bad_epochs = 0\n        else:", "        else:")],
        ["ex4_6_tests_stopping", "ex4_6_tests_fit"],
        ["counters", "early-stop"],
    ),
    _wrong(
        "ex4_6 the epochs counted from 1",
        "ex4_6_solution",
        [("        self._epoch = -1\n", "        self._epoch = 0\n")],
        ["ex4_6_tests_stopping", "ex4_6_tests_fit"],
        ["counters", "best"],
    ),
    _wrong(
        "ex4_6 best_epoch starts at 0",
        "ex4_6_solution",
        [("        self.best_epoch = -1\n", "        self.best_epoch = 0\n")],
        ["ex4_6_tests_stopping"],
        ["initial"],
    ),
    _wrong(
        "ex4_6 stop only when num_bad_epochs > patience",
        "ex4_6_solution",
        [
            (
                "return self.num_bad_epochs >= self.patience",
                "return self.num_bad_epochs > self.patience",
            )
        ],
        ["ex4_6_tests_stopping", "ex4_6_tests_fit"],
        ["decision", "early-stop"],
    ),
    _wrong(
        "ex4_6 step returns None instead of False while training goes on",
        "ex4_6_solution",
        [
            (
                "        return self.num_bad_epochs >= self.patience",
                "        if self.num_bad_epochs >= self.patience:\n            return True",
            )
        ],
        ["ex4_6_tests_stopping"],
        ["decision"],
    ),
    _wrong(
        "ex4_6 best checkpoint stored as model.state_dict() without a copy",
        "ex4_6_solution",
        [
            (
                "self.best_state = copy.deepcopy(model.state_dict())",
                "self.best_state = model.state_dict()",
            )
        ],
        ["ex4_6_tests_checkpoint", "ex4_6_tests_fit"],
        ["deep-copy", "best"],
    ),
    _wrong(
        "ex4_6 best checkpoint as a shallow copy of the state dict (copy.copy)",
        "ex4_6_solution",
        [
            (
                "self.best_state = copy.deepcopy(model.state_dict())",
                "self.best_state = copy.copy(model.state_dict())",
            )
        ],
        ["ex4_6_tests_checkpoint", "ex4_6_tests_fit"],
        ["deep-copy", "best"],
    ),
    _wrong(
        "ex4_6 best checkpoint of the parameters only (no buffers)",
        "ex4_6_solution",
        [
            (
                "self.best_state = copy.deepcopy(model.state_dict())",
                "self.best_state = {k: v.detach().clone() for k, v in model.named_parameters()}",
            )
        ],
        ["ex4_6_tests_checkpoint"],
        ["deep-copy"],
    ),
    _wrong(
        "ex4_6 best_state starts as an empty dict",
        "ex4_6_solution",
        [("        self.best_state = None\n", "        self.best_state = {}\n")],
        ["ex4_6_tests_checkpoint"],
        ["none-first"],
    ),
    _wrong(
        "ex4_6 evaluate's accuracy as the number of correct predictions",
        "ex4_6_solution",
        [
            (
                "accuracy = (logits.argmax(dim=1) == labels).float().mean().item()",
                "accuracy = (logits.argmax(dim=1) == labels).float().sum().item()",
            )
        ],
        ["ex4_6_tests_evaluate", "ex4_6_tests_fit"],
        ["values", "best"],
    ),
    _wrong(
        "ex4_6 evaluate's loss summed over the samples",
        "ex4_6_solution",
        [
            (
                "loss = F.cross_entropy(logits, labels).item()",
                'loss = F.cross_entropy(logits, labels, reduction="sum").item()',
            )
        ],
        ["ex4_6_tests_evaluate", "ex4_6_tests_fit"],
        ["values", "validation"],
    ),
    _wrong(
        "ex4_6 evaluate without model.eval() (dropout still active)",
        "ex4_6_solution",
        [
            (
                "    model.eval()\n    with torch.no_grad():\n        logits = model(inputs)\n",
                "    with torch.no_grad():\n        logits = model(inputs)\n",
            )
        ],
        ["ex4_6_tests_evaluate"],
        ["eval-mode"],
    ),
    _wrong(
        "ex4_6 evaluate without torch.no_grad()",
        "ex4_6_solution",
        [
            (
                "    model.eval()\n    with torch.no_grad():\n        logits = model(inputs)\n"
                "        loss = F.cross_entropy(logits, labels).item()\n"
                "        accuracy = (logits.argmax(dim=1) == labels).float().mean().item()\n",
                "    model.eval()\n    logits = model(inputs)\n"
                "    loss = F.cross_entropy(logits, labels).item()\n"
                "    accuracy = (logits.argmax(dim=1) == labels).float().mean().item()\n",
            )
        ],
        ["ex4_6_tests_evaluate"],
        ["no-grad"],
    ),
    _wrong(
        "ex4_6 evaluate returns tensors",
        "ex4_6_solution",
        [
            (
                "        loss = F.cross_entropy(logits, labels).item()\n"
                "        accuracy = (logits.argmax(dim=1) == labels).float().mean().item()\n",
                "        loss = F.cross_entropy(logits, labels)\n"
                "        accuracy = (logits.argmax(dim=1) == labels).float().mean()\n",
            )
        ],
        ["ex4_6_tests_evaluate", "ex4_6_tests_fit"],
        ["floats", "returns"],
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
        ["schedule"],
    ),
    _wrong(
        "ex4_6 the learning rate recorded after scheduler.step()",
        "ex4_6_solution",
        [
            ('        history["lr"].append(optimizer.param_groups[0]["lr"])\n', ""),
            (
                "        scheduler.step()\n",
                "        scheduler.step()\n"
                '        history["lr"].append(optimizer.param_groups[0]["lr"])\n',
            ),
        ],
        ["ex4_6_tests_fit"],
        ["schedule"],
    ),
    _wrong(
        "ex4_6 model.train() once, before the first epoch",
        "ex4_6_solution",
        [
            (
                '    for _ in range(epochs):\n        history["lr"].append(optimizer.param_groups[0]["lr"])\n        model.train()\n',
                '    model.train()\n    for _ in range(epochs):\n        history["lr"].append(optimizer.param_groups[0]["lr"])\n',
            )
        ],
        ["ex4_6_tests_fit"],
        ["train-mode"],
    ),
    _wrong(
        "ex4_6 Adam instead of AdamW",
        "ex4_6_solution",
        [
            (
                "optimizer = torch.optim.AdamW(model.parameters(), lr=lr)",
                "optimizer = torch.optim.Adam(model.parameters(), lr=lr)",
            )
        ],
        ["ex4_6_tests_fit"],
        ["training"],
    ),
    _wrong(
        "ex4_6 the training loss as the mean of the batch losses",
        "ex4_6_solution",
        [
            (
                '            total += loss.item() * len(idx)\n        history["train_loss"].append(total / n)\n',
                '            total += loss.item()\n        history["train_loss"].append(total / math.ceil(n / batch_size))\n',
            )
        ],
        ["ex4_6_tests_fit"],
        ["training"],
    ),
    _wrong(
        "ex4_6 evaluate's results unpacked in the wrong order (the accuracy as the loss)",
        "ex4_6_solution",
        [
            (
                '        val_loss, _ = evaluate(model, *data["val"])\n',
                '        _, val_loss = evaluate(model, *data["val"])\n',
            )
        ],
        ["ex4_6_tests_fit"],
        ["validation"],
    ),
    _wrong(
        "ex4_6 the stopper consulted but training never stops early",
        "ex4_6_solution",
        [
            (
                "        if stopper.step(val_loss, model):\n            break\n",
                "        stopper.step(val_loss, model)\n",
            )
        ],
        ["ex4_6_tests_fit"],
        ["early-stop"],
    ),
    _wrong(
        "ex4_6 the test set evaluated on the last weights, not the best checkpoint",
        "ex4_6_solution",
        [("    model.load_state_dict(stopper.best_state)\n", "")],
        ["ex4_6_tests_fit"],
        ["best"],
    ),
    _wrong(
        "ex4_6 best_epoch guessed as the last epoch minus the patience",
        "ex4_6_solution",
        [
            (
                '    history["best_epoch"] = stopper.best_epoch\n',
                '    history["best_epoch"] = len(history["val_loss"]) - 1 - patience\n',
            )
        ],
        ["ex4_6_tests_fit"],
        ["best"],
    ),
    _wrong(
        "ex4_6 the best checkpoint loaded only when training stops early",
        "ex4_6_solution",
        [
            (
                "        if stopper.step(val_loss, model):\n            break\n"
                "    model.load_state_dict(stopper.best_state)\n",
                "        if stopper.step(val_loss, model):\n"
                "            model.load_state_dict(stopper.best_state)\n            break\n",
            )
        ],
        ["ex4_6_tests_fit"],
        ["best"],
    ),
    # 4.7 ------------------------------------------------------------------------------
    _wrong(
        "ex4_7 bug (a) left in: Softmax at the end of the classifier",
        "ex4_7_solution",
        [("nn.Linear(64, n_classes)\n", "nn.Linear(64, n_classes), nn.Softmax(dim=1)\n")],
        ["ex4_7_tests_a"],
        ["model"],
    ),
    _wrong(
        "ex4_7 bug (a) half fixed: LogSoftmax instead of Softmax",
        "ex4_7_solution",
        [("nn.Linear(64, n_classes)\n", "nn.Linear(64, n_classes), nn.LogSoftmax(dim=1)\n")],
        ["ex4_7_tests_a"],
        ["model"],
    ),
    _wrong(
        "ex4_7 bug (a) moved: the softmax applied before the loss in train_classifier",
        "ex4_7_solution",
        [
            ("loss = criterion(model(xb), yb)", "loss = criterion(model(xb).softmax(dim=1), yb)"),
            ("output = model(X_val)\n", "output = model(X_val).softmax(dim=1)\n"),
        ],
        ["ex4_7_tests_a"],
        ["loss"],
    ),
    _wrong(
        "ex4_7 bug (b) left in: no optimizer.zero_grad()",
        "ex4_7_solution",
        [("            optimizer.zero_grad()  # (b) clear the previous batch's gradients\n", "")],
        ["ex4_7_tests_b"],
        ["own-gradient"],
    ),
    _wrong(
        "ex4_7 bug (b) half fixed: zero_grad() once per epoch",
        "ex4_7_solution",
        [
            ("            optimizer.zero_grad()  # (b) clear the previous batch's gradients\n", ""),
            ("        total = 0.0\n", "        total = 0.0\n        optimizer.zero_grad()\n"),
        ],
        ["ex4_7_tests_b"],
        ["own-gradient"],
    ),
    _wrong(
        "ex4_7 bug (c) half fixed: model.train() never called after the first validation",
        "ex4_7_solution",
        [("        model.train()  # (c) back to train mode after each validation pass\n", "")],
        ["ex4_7_tests_c"],
        ["train-mode"],
    ),
    _wrong(
        "ex4_7 bug (c) half fixed: validation without model.eval()",
        "ex4_7_solution",
        [("        model.eval()\n", "")],
        ["ex4_7_tests_c"],
        ["eval-mode"],
    ),
    _wrong(
        "ex4_7 bug (c) half fixed: validation without torch.no_grad()",
        "ex4_7_solution",
        [
            (
                "        with torch.no_grad():  # (c) no graph for validation\n"
                "            output = model(X_val)\n"
                '            history["val_loss"].append(criterion(output, y_val).item())\n'
                '            history["val_accuracy"].append((output.argmax(dim=1) == y_val).float().mean().item())\n',
                "        output = model(X_val)\n"
                '        history["val_loss"].append(criterion(output, y_val).item())\n'
                '        history["val_accuracy"].append((output.argmax(dim=1) == y_val).float().mean().item())\n',
            )
        ],
        ["ex4_7_tests_c"],
        ["no-grad"],
    ),
    _wrong(
        "ex4_7 bug (d) left in: loss tensors summed and averaged per batch",
        "ex4_7_solution",
        [
            ("total += loss.item() * len(xb)", "total += loss"),
            ("total / n)", "total / math.ceil(n / batch_size))"),
        ],
        ["ex4_7_tests_d"],
        ["history"],
    ),
    _wrong(
        "ex4_7 bug (d) half fixed: floats, but the mean of the batch losses",
        "ex4_7_solution",
        [
            ("total += loss.item() * len(xb)", "total += loss.item()"),
            ("total / n)", "total / math.ceil(n / batch_size))"),
        ],
        ["ex4_7_tests_d"],
        ["sample-mean"],
    ),
    _wrong(
        "ex4_7 bug (d) half fixed: the loss tensors summed, .item() only at the end of the epoch",
        "ex4_7_solution",
        [
            ("total += loss.item() * len(xb)", "total += loss * len(xb)"),
            (
                'history["train_loss"].append(total / n)',
                'history["train_loss"].append((total / n).item())',
            ),
        ],
        ["ex4_7_tests_d"],
        ["no-graph"],
    ),
    _wrong(
        "ex4_7 bug (e) left in: the default learning rate 10",
        "ex4_7_solution",
        [("        lr = 1e-2  # (e)", "        lr = 10.0  # (e)")],
        ["ex4_7_tests_e"],
        ["lr"],
    ),
    _wrong(
        "ex4_7 bug (e) overdone: the default learning rate 1e-5",
        "ex4_7_solution",
        [("        lr = 1e-2  # (e)", "        lr = 1e-5  # (e)")],
        ["ex4_7_tests_e"],
        ["lr"],
    ),
    _wrong(
        "ex4_7 bug (e) overdone: the default learning rate 3e-4 (too small for 30 epochs)",
        "ex4_7_solution",
        [("        lr = 1e-2  # (e)", "        lr = 3e-4  # (e)")],
        ["ex4_7_tests_e"],
        ["lr"],
    ),
    _wrong(
        "ex4_7 SGD instead of Adam",
        "ex4_7_solution",
        [
            (
                "optimizer = torch.optim.Adam(model.parameters(), lr=lr)",
                "optimizer = torch.optim.SGD(model.parameters(), lr=lr)",
            )
        ],
        ["ex4_7_tests_e"],
        ["lr"],
    ),
]
