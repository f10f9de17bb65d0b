"""Plausible wrong answers to the Chapter 10 exercises: tests of the tests.

Each entry replaces one solution cell of ``solutions/ch10/ch10_exercises.ipynb`` with what a
student might submit: the reference solution with one plausible mistake. Grading the notebook
with that cell must make exactly the test cells in ``fails`` lose their points, each on one of
the clauses in ``breaks`` (keys of the cells' CONTRACT), while every other test cell keeps them.

Each entry is written as edits of the reference cell: ``(correct text, wrong text)`` pairs,
each of which must occur exactly once in the cell. The mistake is all that an entry shows.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from autograder.corpus import edited_answer, solution_cells

_SOURCE = Path(__file__).resolve().parents[2] / "solutions" / "ch10" / "ch10_exercises.ipynb"


_CORRECT = solution_cells(_SOURCE)
_wrong = partial(edited_answer, _CORRECT)

_FACT_KEYS = {
    "unidirectional_outputs_equal": "uni-outputs",
    "unidirectional_h_n_equal": "uni-h-n",
    "bidirectional_outputs_equal": "bi-outputs",
    "last_valid_equals_packed_h_n": "last-valid",
}
_FACTS = {
    "unidirectional_outputs_equal": True,
    "unidirectional_h_n_equal": False,
    "bidirectional_outputs_equal": False,
    "last_valid_equals_packed_h_n": True,
}

WRONG_ANSWERS: list[dict] = (
    [
        # 10.1 -----------------------------------------------------------------------------
        _wrong(
            "ex10_1 the head on the cell state c_n instead of h_n",
            "ex10_1_solution",
            [("        _, (h_n, _) = self.lstm(x)\n", "        _, (_, h_n) = self.lstm(x)\n")],
            ["ex10_1_tests_model"],
            ["forward"],
        ),
        _wrong(
            "ex10_1 the LSTM without batch_first (the batch read as time)",
            "ex10_1_solution",
            [
                (
                    "nn.LSTM(input_size, hidden_size, batch_first=True)",
                    "nn.LSTM(input_size, hidden_size)",
                )
            ],
            ["ex10_1_tests_model", "ex10_1_tests_training"],
            ["forward", "accuracy"],
        ),
        _wrong(
            "ex10_1 two stacked LSTM layers",
            "ex10_1_solution",
            [
                (
                    "nn.LSTM(input_size, hidden_size, batch_first=True)",
                    "nn.LSTM(input_size, hidden_size, num_layers=2, batch_first=True)",
                )
            ],
            ["ex10_1_tests_model"],
            ["layers"],
        ),
        _wrong(
            "ex10_1 the hidden state of the first step (output[:, 0]) instead of the last",
            "ex10_1_solution",
            [
                (
                    "        _, (h_n, _) = self.lstm(x)\n        return self.head(h_n[-1])",
                    "        output, _ = self.lstm(x)\n        return self.head(output[:, 0])",
                )
            ],
            ["ex10_1_tests_model"],
            ["forward"],
        ),
        _wrong(
            "ex10_1 the predicted class returned instead of the logits",
            "ex10_1_solution",
            [
                (
                    "        return self.head(h_n[-1])",
                    "        return self.head(h_n[-1]).argmax(dim=1)",
                )
            ],
            ["ex10_1_tests_model", "ex10_1_tests_training"],
            ["forward", "accuracy"],
        ),
        _wrong(
            "ex10_1 a default of one logit for the two classes",
            "ex10_1_solution",
            [("num_classes: int = 2", "num_classes: int = 1")],
            ["ex10_1_tests_model", "ex10_1_tests_training"],
            ["layers", "accuracy"],
        ),
        # 10.2 -----------------------------------------------------------------------------
        _wrong(
            "ex10_2 one bias vector per gate block instead of two",
            "ex10_2_solution",
            [("(layer_input + hidden_size + 2)", "(layer_input + hidden_size + 1)")],
            ["ex10_2_tests_count"],
            ["count"],
        ),
        _wrong(
            "ex10_2 the input of the upper layers taken as hidden_size, also with two directions",
            "ex10_2_solution",
            [("hidden_size * directions\n", "hidden_size\n")],
            ["ex10_2_tests_count"],
            ["layers"],
        ),
        {
            "name": "ex10_2 the count read from a module built for it",
            "cell": "ex10_2_solution",
            "source": _CORRECT["ex10_2_solution"].replace(
                '    gates = {"rnn": 1, "gru": 3, "lstm": 4}[kind]\n',
                '    module = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}[kind]\n'
                "    net = module(input_size, hidden_size, num_layers, bidirectional=bidirectional)\n"
                "    return sum(p.numel() for p in net.parameters())\n"
                '    gates = {"rnn": 1, "gru": 3, "lstm": 4}[kind]\n',
            ),
            "fails": ["ex10_2_tests_count"],
            "breaks": ["formula"],
        },
        _wrong(
            "ex10_2 the gates in the order i, f, o, g",
            "ex10_2_solution",
            [("i, f, g, o = gates.chunk(4, dim=1)", "i, f, o, g = gates.chunk(4, dim=1)")],
            ["ex10_2_tests_cell"],
            ["step"],
        ),
        _wrong(
            "ex10_2 bias_hh declared but never added",
            "ex10_2_solution",
            [("+ h @ self.weight_hh.T + self.bias_hh", "+ h @ self.weight_hh.T")],
            ["ex10_2_tests_cell"],
            ["step"],
        ),
        _wrong(
            "ex10_2 one bias vector instead of bias_ih and bias_hh",
            "ex10_2_solution",
            [
                (
                    "        self.bias_ih = uniform(4 * hidden_size)\n"
                    "        self.bias_hh = uniform(4 * hidden_size)\n",
                    "        self.bias = uniform(4 * hidden_size)\n",
                ),
                (
                    "+ self.bias_ih + h @ self.weight_hh.T + self.bias_hh",
                    "+ h @ self.weight_hh.T + self.bias",
                ),
            ],
            ["ex10_2_tests_cell"],
            ["parameters"],
        ),
        _wrong(
            "ex10_2 the weights drawn from a normal distribution",
            "ex10_2_solution",
            [
                (
                    "nn.Parameter(torch.empty(shape).uniform_(-bound, bound))",
                    "nn.Parameter(torch.randn(shape) * bound)",
                )
            ],
            ["ex10_2_tests_cell"],
            ["init"],
        ),
        _wrong(
            "ex10_2 the missing state filled with ones",
            "ex10_2_solution",
            [("zeros = x.new_zeros(", "zeros = x.new_ones(")],
            ["ex10_2_tests_cell"],
            ["zero-state"],
        ),
        _wrong(
            "ex10_2 the missing state created on the CPU in float32 (torch.zeros)",
            "ex10_2_solution",
            [
                (
                    "zeros = x.new_zeros(x.shape[0], self.hidden_size)",
                    "zeros = torch.zeros(x.shape[0], self.hidden_size)",
                )
            ],
            ["ex10_2_tests_cell"],
            ["zero-state"],
        ),
        _wrong(
            "ex10_2 the outputs stacked along the first dimension (T, B, H)",
            "ex10_2_solution",
            [("torch.stack(outputs, dim=1)", "torch.stack(outputs, dim=0)")],
            ["ex10_2_tests_cell"],
            ["sequence"],
        ),
        _wrong(
            "ex10_2 the initial state ignored by lstm_scratch",
            "ex10_2_solution",
            [
                (
                    "    outputs = []\n    for t in range(x.shape[1]):",
                    "    outputs = []\n    state = None\n    for t in range(x.shape[1]):",
                )
            ],
            ["ex10_2_tests_cell"],
            ["sequence"],
        ),
        _wrong(
            "ex10_2 the step computed by torch.lstm_cell",
            "ex10_2_solution",
            [
                (
                    "        h, c = state\n        gates =",
                    "        h, c = torch.lstm_cell(\n"
                    "            x, state, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh\n"
                    "        )\n"
                    "        return h, c\n"
                    "        gates =",
                )
            ],
            ["ex10_2_tests_cell"],
            ["own"],
        ),
        # 10.3 -----------------------------------------------------------------------------
        _wrong(
            "ex10_3 a unidirectional LSTM",
            "ex10_3_solution",
            [
                (
                    "nn.LSTM(1, 16, batch_first=True, bidirectional=True)",
                    "nn.LSTM(1, 16, batch_first=True)",
                ),
                ("nn.Linear(32, 1)", "nn.Linear(16, 1)"),
            ],
            ["ex10_3_tests_model", "ex10_3_tests_denoising"],
            ["bidirectional", "denoising"],
        ),
        _wrong(
            "ex10_3 64 hidden units a direction (too many parameters)",
            "ex10_3_solution",
            [
                ("nn.LSTM(1, 16, batch_first=True", "nn.LSTM(1, 64, batch_first=True"),
                ("nn.Linear(32, 1)", "nn.Linear(128, 1)"),
            ],
            ["ex10_3_tests_model"],
            ["size"],
        ),
        _wrong(
            "ex10_3 the output squeezed to (B, T)",
            "ex10_3_solution",
            [("        return self.head(output)", "        return self.head(output).squeeze(-1)")],
            ["ex10_3_tests_model", "ex10_3_tests_denoising"],
            ["shape", "denoising"],
        ),
        _wrong(
            "ex10_3 a sigmoid on the output (no negative values)",
            "ex10_3_solution",
            [
                (
                    "        return self.head(output)",
                    "        return torch.sigmoid(self.head(output))",
                )
            ],
            ["ex10_3_tests_denoising"],
            ["denoising"],
        ),
        # 10.4 -----------------------------------------------------------------------------
        _wrong(
            "ex10_4 the output at index lengths[b] (one past the last real step)",
            "ex10_4_solution",
            [
                (
                    "return output[rows, lengths.to(output.device) - 1]",
                    "return output[rows, (lengths.to(output.device)).clamp(max=output.shape[1] - 1)]",
                )
            ],
            ["ex10_4_tests_last"],
            ["rows"],
        ),
        _wrong(
            "ex10_4 the last step of the padded output for every row",
            "ex10_4_solution",
            [("return output[rows, lengths.to(output.device) - 1]", "return output[:, -1]")],
            ["ex10_4_tests_last"],
            ["rows"],
        ),
        _wrong(
            "ex10_4 the padded steps of output zeroed in place first",
            "ex10_4_solution",
            [
                (
                    "    rows = torch.arange(output.shape[0], device=output.device)\n",
                    "    rows = torch.arange(output.shape[0], device=output.device)\n"
                    "    steps = torch.arange(output.shape[1], device=output.device)\n"
                    "    output[steps[None] >= lengths.to(output.device)[:, None]] = 0\n",
                )
            ],
            ["ex10_4_tests_last"],
            ["unchanged"],
        ),
        _wrong(
            "ex10_4 packing without enforce_sorted=False (unsorted lengths rejected)",
            "ex10_4_solution",
            [("batch_first=True, enforce_sorted=False", "batch_first=True")],
            ["ex10_4_tests_packed"],
            ["outputs"],
        ),
        _wrong(
            "ex10_4 the output unpacked without total_length",
            "ex10_4_solution",
            [(", total_length=padded.shape[1])", ")")],
            ["ex10_4_tests_packed"],
            ["length"],
        ),
        _wrong(
            "ex10_4 h_n taken from a run on the padded batch",
            "ex10_4_solution",
            [("    return output, h_n\n", "    return output, lstm(padded)[1][0]\n")],
            ["ex10_4_tests_packed"],
            ["h-n"],
        ),
    ]
    + [
        _wrong(
            f"ex10_4 {key} answered {not value}",
            "ex10_4_solution",
            [(f'"{key}": {value},', f'"{key}": {not value},')],
            ["ex10_4_tests_facts"],
            [clause],
        )
        for (key, clause), value in zip(_FACT_KEYS.items(), _FACTS.values(), strict=True)
    ]
    + [
        # 10.5 -----------------------------------------------------------------------------
        _wrong(
            "ex10_5 one window too few (the last one dropped)",
            "ex10_5_solution",
            [
                (
                    "    windows = series.unfold(0, context + horizon, 1)\n",
                    "    windows = series[:-1].unfold(0, context + horizon, 1)\n",
                )
            ],
            ["ex10_5_tests_windows"],
            ["windows"],
        ),
        _wrong(
            "ex10_5 the targets start one step early (they overlap the context)",
            "ex10_5_solution",
            [
                (
                    "    windows = series.unfold(0, context + horizon, 1)\n"
                    "    return windows[:, :context].unsqueeze(-1), windows[:, context:]",
                    "    windows = series.unfold(0, context + horizon, 1)\n"
                    "    targets = series.unfold(0, horizon, 1)[context - 1 : context - 1 + len(windows)]\n"
                    "    return windows[:, :context].unsqueeze(-1), targets",
                )
            ],
            ["ex10_5_tests_windows"],
            ["windows"],
        ),
        _wrong(
            "ex10_5 the baseline averages the whole context",
            "ex10_5_solution",
            [
                (
                    "inputs[:, -window:, 0].mean(dim=1, keepdim=True)",
                    "inputs[:, :, 0].mean(dim=1, keepdim=True)",
                )
            ],
            ["ex10_5_tests_windows"],
            ["baseline"],
        ),
        _wrong(
            "ex10_5 a default window of 10",
            "ex10_5_solution",
            [("horizon: int, window: int = 11", "horizon: int, window: int = 10")],
            ["ex10_5_tests_windows"],
            ["baseline"],
        ),
        _wrong(
            "ex10_5 sMAPE without the factor 2",
            "ex10_5_solution",
            [
                (
                    "    numerator = 2 * (prediction - target).abs()",
                    "    numerator = (prediction - target).abs()",
                )
            ],
            ["ex10_5_tests_smape"],
            ["smape"],
        ),
        _wrong(
            "ex10_5 sMAPE of 0 / 0 left as NaN",
            "ex10_5_solution",
            [
                (
                    "    terms = torch.where(denominator > 0, numerator / denominator.clamp_min(1e-30), 0.0)",
                    "    terms = numerator / denominator",
                )
            ],
            ["ex10_5_tests_smape"],
            ["zeros"],
        ),
        _wrong(
            "ex10_5 MAPE instead of sMAPE",
            "ex10_5_solution",
            [
                (
                    "    denominator = prediction.abs() + target.abs()",
                    "    denominator = 2 * target.abs()",
                )
            ],
            ["ex10_5_tests_smape"],
            ["smape"],
        ),
        _wrong(
            "ex10_5 the window grows instead of sliding",
            "ex10_5_solution",
            [
                (
                    "window = torch.cat([window[:, 1:], nxt.unsqueeze(-1)], dim=1)",
                    "window = torch.cat([window, nxt.unsqueeze(-1)], dim=1)",
                )
            ],
            ["ex10_5_tests_autoregressive"],
            ["loop"],
        ),
        _wrong(
            "ex10_5 the last of the model's forecasts fed back instead of the first",
            "ex10_5_solution",
            [
                (
                    "            nxt = model(window)[:, :1]  # (B, 1)",
                    "            nxt = model(window)[:, -1:]",
                )
            ],
            ["ex10_5_tests_autoregressive"],
            ["loop"],
        ),
        _wrong(
            "ex10_5 the forecasts computed with gradients",
            "ex10_5_solution",
            [
                (
                    "    with torch.no_grad():\n        for _ in range(steps):",
                    "    if True:\n        for _ in range(steps):",
                )
            ],
            ["ex10_5_tests_autoregressive"],
            ["no-grad"],
        ),
        _wrong(
            "ex10_5 the context shifted in place",
            "ex10_5_solution",
            [
                ("    window = context.clone()\n", "    window = context\n"),
                (
                    "            window = torch.cat([window[:, 1:], nxt.unsqueeze(-1)], dim=1)",
                    "            window[:, :-1] = window[:, 1:].clone()\n"
                    "            window[:, -1] = nxt",
                ),
            ],
            ["ex10_5_tests_autoregressive"],
            ["unchanged"],
        ),
        _wrong(
            "ex10_5 the forecaster's head on the mean of the outputs",
            "ex10_5_solution",
            [
                (
                    "        _, (h_n, _) = self.lstm(x)\n        return self.head(h_n[-1])",
                    "        output, _ = self.lstm(x)\n        return self.head(output.mean(dim=1))",
                )
            ],
            ["ex10_5_tests_model", "ex10_5_tests_forecast"],
            ["forward", "forecast"],
        ),
        _wrong(
            "ex10_5 a default of 32 hidden units",
            "ex10_5_solution",
            [
                (
                    "horizon: int = 10, hidden_size: int = 16",
                    "horizon: int = 10, hidden_size: int = 32",
                )
            ],
            ["ex10_5_tests_model"],
            ["layers"],
        ),
        _wrong(
            "ex10_5 the forecaster without batch_first",
            "ex10_5_solution",
            [("nn.LSTM(1, hidden_size, batch_first=True)", "nn.LSTM(1, hidden_size)")],
            ["ex10_5_tests_model", "ex10_5_tests_forecast"],
            ["forward", "forecast"],
        ),
        _wrong(
            "ex10_5 a ReLU on the forecasts (the scaled series is negative too)",
            "ex10_5_solution",
            [
                (
                    "        return self.head(h_n[-1])",
                    "        return torch.relu(self.head(h_n[-1]))",
                )
            ],
            ["ex10_5_tests_model"],
            ["forward"],
        ),
        # 10.6 -----------------------------------------------------------------------------
        _wrong(
            "ex10_6 the norm after clipping returned",
            "ex10_6_solution",
            [("    return total\n", "    return total * min(1.0, float(coefficient))\n")],
            ["ex10_6_tests_clip", "ex10_6_tests_training", "ex10_6_tests_explosion"],
            ["norm", "norms", "tamed"],
        ),
        _wrong(
            "ex10_6 the gradients always scaled to max_norm, also when below it",
            "ex10_6_solution",
            [("    if coefficient < 1:\n", "    if True:\n")],
            ["ex10_6_tests_clip", "ex10_6_tests_training"],
            ["scale", "losses", "norms", "updates"],
        ),
        _wrong(
            "ex10_6 new gradient tensors instead of scaling in place",
            "ex10_6_solution",
            [
                (
                    "    grads = [p.grad for p in parameters if p.grad is not None]\n",
                    "    params = [p for p in parameters if p.grad is not None]\n"
                    "    grads = [p.grad for p in params]\n",
                ),
                (
                    "        for g in grads:\n            g.mul_(coefficient)",
                    "        for p in params:\n            p.grad = p.grad * coefficient",
                ),
            ],
            ["ex10_6_tests_clip"],
            ["scale"],
        ),
        _wrong(
            "ex10_6 the inf-norm as the sum of the largest values",
            "ex10_6_solution",
            [
                (
                    "torch.stack([g.abs().max() for g in grads]).max()",
                    "torch.stack([g.abs().max() for g in grads]).sum()",
                )
            ],
            ["ex10_6_tests_clip"],
            ["inf"],
        ),
        _wrong(
            "ex10_6 the parameters read twice (a generator is empty the second time)",
            "ex10_6_solution",
            [
                (
                    "        for g in grads:\n            g.mul_(coefficient)",
                    "        for p in parameters:\n            if p.grad is not None:\n"
                    "                p.grad.mul_(coefficient)",
                ),
            ],
            ["ex10_6_tests_clip", "ex10_6_tests_training", "ex10_6_tests_explosion"],
            ["generator", "losses", "updates", "tamed"],
        ),
        _wrong(
            "ex10_6 missing gradients replaced by zeros",
            "ex10_6_solution",
            [
                (
                    "    grads = [p.grad for p in parameters if p.grad is not None]\n",
                    "    parameters = list(parameters)\n"
                    "    if any(p.grad is not None for p in parameters):\n"
                    "        for p in parameters:\n"
                    "            if p.grad is None:\n"
                    "                p.grad = torch.zeros_like(p)\n"
                    "    grads = [p.grad for p in parameters if p.grad is not None]\n",
                )
            ],
            ["ex10_6_tests_clip"],
            ["none"],
        ),
        _wrong(
            "ex10_6 PyTorch's clip_grad_norm_ called",
            "ex10_6_solution",
            [
                (
                    "    grads = [p.grad for p in parameters if p.grad is not None]\n",
                    "    return torch.nn.utils.clip_grad_norm_(parameters, max_norm, norm_type)\n"
                    "    grads = [p.grad for p in parameters if p.grad is not None]\n",
                )
            ],
            ["ex10_6_tests_clip"],
            ["own"],
        ),
        _wrong(
            "ex10_6 the gradients never set to zero",
            "ex10_6_solution",
            [
                (
                    "        optimizer.zero_grad()\n        loss = F.mse_loss",
                    "        loss = F.mse_loss",
                )
            ],
            ["ex10_6_tests_training"],
            ["losses", "norms", "updates"],
        ),
        _wrong(
            "ex10_6 max_norm ignored by the training loop",
            "ex10_6_solution",
            [
                (
                    "    limit = math.inf if max_norm is None else max_norm\n",
                    "    limit = math.inf\n",
                )
            ],
            ["ex10_6_tests_training", "ex10_6_tests_explosion"],
            ["losses", "clipped", "tamed"],
        ),
        _wrong(
            "ex10_6 the norm recorded after clipping",
            "ex10_6_solution",
            [
                (
                    "        norm = clip_grad_norm(model.parameters(), limit).item()\n",
                    "        clip_grad_norm(model.parameters(), limit)\n"
                    "        norm = clip_grad_norm(model.parameters(), math.inf).item()\n",
                )
            ],
            ["ex10_6_tests_training", "ex10_6_tests_explosion"],
            ["norms", "tamed"],
        ),
        _wrong(
            "ex10_6 the norm measured (and clipped) before the backward pass",
            "ex10_6_solution",
            [
                (
                    "        loss.backward()\n        norm = clip_grad_norm(model.parameters(), limit).item()\n",
                    "        norm = clip_grad_norm(model.parameters(), limit).item()\n        loss.backward()\n",
                )
            ],
            ["ex10_6_tests_training", "ex10_6_tests_explosion"],
            ["losses", "norms", "explodes"],
        ),
        _wrong(
            "ex10_6 the clipped fraction in percent",
            "ex10_6_solution",
            [
                (
                    "    fraction = clipped / len(losses) if losses else 0.0",
                    "    fraction = 100 * clipped / len(losses) if losses else 0.0",
                )
            ],
            ["ex10_6_tests_training"],
            ["clipped"],
        ),
    ]
)
