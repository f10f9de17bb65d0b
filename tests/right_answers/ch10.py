"""Correct answers to the Chapter 10 exercises, written the way other students would.

Each entry replaces one solution cell of ``solutions/ch10/ch10_exercises.ipynb``; every test
cell the answer reaches must keep its points (see autograder/corpus.py). They vary what the
statements leave open: which tuple element holds the final state, loops or ``einsum``,
helper functions, ``gather`` or indexing, sorting the batch by hand before packing.
"""

from __future__ import annotations

RIGHT_ANSWERS: list[dict] = [
    # 10.1 -----------------------------------------------------------------------------
    {
        "name": "ex10_1 the last output step instead of h_n (the same for one direction)",
        "cell": "ex10_1_solution",
        "source": """
class LSTMClassifier(nn.Module):
    def __init__(self, input_size=1, hidden_size=32, num_classes=2):
        super().__init__()
        self.lstm = nn.LSTM(input_size=input_size, hidden_size=hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        output, _ = self.lstm(x)
        return self.head(output[:, -1, :])
""",
    },
    {
        "name": "ex10_1 h_n squeezed, the state unpacked by index",
        "cell": "ex10_1_solution",
        "source": """
class LSTMClassifier(nn.Module):
    def __init__(self, input_size: int = 1, hidden_size: int = 32, num_classes: int = 2):
        super().__init__()
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers=1, batch_first=True)
        self.head = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        state = self.lstm(x)[1]
        h_n = state[0].squeeze(0)
        return self.head(h_n)
""",
    },
    # 10.2 -----------------------------------------------------------------------------
    {
        "name": "ex10_2 a closed formula; einsum in the cell; the sequence collected in a tensor",
        "cell": "ex10_2_solution",
        "source": """
def recurrent_parameter_count(kind, input_size, hidden_size, num_layers=1, bidirectional=False):
    g = {"lstm": 4, "gru": 3, "rnn": 1}[kind.lower()]
    d = 2 if bidirectional else 1
    h = hidden_size
    first = g * h * (input_size + h) + 2 * g * h
    rest = g * h * (d * h + h) + 2 * g * h
    return int(d * (first + (num_layers - 1) * rest))


class LSTMCellScratch(nn.Module):
    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.hidden_size = hidden_size
        k = hidden_size ** -0.5
        self.weight_ih = nn.Parameter(torch.rand(4 * hidden_size, input_size) * 2 * k - k)
        self.weight_hh = nn.Parameter(torch.rand(4 * hidden_size, hidden_size) * 2 * k - k)
        self.bias_ih = nn.Parameter(torch.rand(4 * hidden_size) * 2 * k - k)
        self.bias_hh = nn.Parameter(torch.rand(4 * hidden_size) * 2 * k - k)

    def forward(self, x, state=None):
        H = self.hidden_size
        if state is None:
            h = torch.zeros(x.shape[0], H, dtype=x.dtype, device=x.device)
            c = torch.zeros_like(h)
        else:
            h, c = state
        a = (torch.einsum("gi,bi->bg", self.weight_ih, x) + self.bias_ih
             + torch.einsum("gh,bh->bg", self.weight_hh, h) + self.bias_hh)
        i = torch.sigmoid(a[:, :H])
        f = torch.sigmoid(a[:, H:2 * H])
        g = torch.tanh(a[:, 2 * H:3 * H])
        o = torch.sigmoid(a[:, 3 * H:])
        c_new = f * c + i * g
        return o * torch.tanh(c_new), c_new


def lstm_scratch(cell, x, state=None):
    B, T, _ = x.shape
    hs = []
    h_c = state
    for t in range(T):
        h_c = cell(x[:, t, :], h_c)
        hs.append(h_c[0].unsqueeze(1))
    return torch.cat(hs, dim=1), (h_c[0], h_c[1])
""",
    },
    {
        "name": "ex10_2 a loop over layers and directions; F.linear; nn.init.uniform_",
        "cell": "ex10_2_solution",
        "source": """
def recurrent_parameter_count(kind, input_size, hidden_size, num_layers=1, bidirectional=False):
    gates = 4 if kind == "lstm" else 3 if kind == "gru" else 1
    total = 0
    size_in = input_size
    for _ in range(num_layers):
        for _ in range(2 if bidirectional else 1):
            total += gates * hidden_size * size_in      # weight_ih
            total += gates * hidden_size * hidden_size  # weight_hh
            total += 2 * gates * hidden_size            # bias_ih, bias_hh
        size_in = hidden_size * (2 if bidirectional else 1)
    return total


class LSTMCellScratch(nn.Module):
    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.input_size, self.hidden_size = input_size, hidden_size
        self.weight_ih = nn.Parameter(torch.empty(4 * hidden_size, input_size))
        self.weight_hh = nn.Parameter(torch.empty(4 * hidden_size, hidden_size))
        self.bias_ih = nn.Parameter(torch.empty(4 * hidden_size))
        self.bias_hh = nn.Parameter(torch.empty(4 * hidden_size))
        bound = 1.0 / math.sqrt(hidden_size)
        for p in self.parameters():
            nn.init.uniform_(p, -bound, bound)

    def forward(self, x, state=None):
        if state is None:
            h = x.new_zeros(len(x), self.hidden_size)
            state = (h, h.clone())
        h, c = state
        z = F.linear(x, self.weight_ih, self.bias_ih) + F.linear(h, self.weight_hh, self.bias_hh)
        i, f, g, o = torch.split(z, self.hidden_size, dim=-1)
        c = f.sigmoid() * c + i.sigmoid() * g.tanh()
        h = o.sigmoid() * c.tanh()
        return (h, c)


def lstm_scratch(cell, x, state=None):
    outs = []
    for x_t in x.unbind(dim=1):
        state = cell(x_t, state)
        outs.append(state[0])
    h, c = state
    return torch.stack(outs, 1), (h, c)
""",
    },
    # 10.3 -----------------------------------------------------------------------------
    {
        "name": "ex10_3 20 hidden units, the head in an nn.Sequential",
        "cell": "ex10_3_solution",
        "source": """
class BiLSTMDenoiser(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(input_size=1, hidden_size=20, batch_first=True, bidirectional=True)
        self.out = nn.Sequential(nn.Linear(40, 1))

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h)
""",
    },
    {
        "name": "ex10_3 the input added back (the network predicts the correction)",
        "cell": "ex10_3_solution",
        "source": """
class BiLSTMDenoiser(nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True, bidirectional=True)
        self.linear = nn.Linear(2 * hidden, 1)

    def forward(self, x):
        features = self.lstm(x)[0]
        return x + self.linear(features)
""",
    },
    # 10.4 -----------------------------------------------------------------------------
    {
        "name": "ex10_4 gather; the batch sorted by hand and put back in order",
        "cell": "ex10_4_solution",
        "source": """
def last_valid_output(output, lengths):
    index = (lengths - 1).view(-1, 1, 1).expand(-1, 1, output.shape[2]).to(output.device)
    return output.gather(1, index).squeeze(1)


def packed_run(lstm, padded, lengths):
    sorted_lengths, order = torch.sort(lengths, descending=True)
    packed = pack_padded_sequence(padded[order], sorted_lengths, batch_first=True)
    out, (h, c) = lstm(packed)
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=padded.size(1))
    inverse = torch.argsort(order)
    return out[inverse], h[:, inverse]


def packing_facts():
    return dict(
        unidirectional_outputs_equal=True,
        unidirectional_h_n_equal=False,
        bidirectional_outputs_equal=False,
        last_valid_equals_packed_h_n=True,
    )
""",
    },
    {
        "name": "ex10_4 a loop over the batch; the facts measured in the function",
        "cell": "ex10_4_solution",
        "source": """
def last_valid_output(output, lengths):
    rows = [output[b, int(n) - 1] for b, n in enumerate(lengths)]
    return torch.stack(rows)


def packed_run(lstm, padded, lengths):
    packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
    output, (h_n, _) = lstm(packed)
    output, _ = pad_packed_sequence(output, batch_first=True, total_length=padded.shape[1])
    return output, h_n


def packing_facts():
    with torch.random.fork_rng():
        torch.manual_seed(0)
        lengths = torch.tensor([6, 2, 4])
        padded = pad_sequence([torch.randn(int(n), 3) for n in lengths], batch_first=True)
        mask = torch.arange(6)[None] < lengths[:, None]
        facts = {}
        with torch.no_grad():
            for bi in (False, True):
                lstm = nn.LSTM(3, 5, batch_first=True, bidirectional=bi)
                plain, (h_plain, _) = lstm(padded)
                packed, h_packed = packed_run(lstm, padded, lengths)
                same = torch.allclose(plain[mask], packed[mask], atol=1e-6)
                if bi:
                    facts["bidirectional_outputs_equal"] = same
                else:
                    facts["unidirectional_outputs_equal"] = same
                    facts["unidirectional_h_n_equal"] = torch.allclose(h_plain, h_packed)
                    last = last_valid_output(plain, lengths)
                    facts["last_valid_equals_packed_h_n"] = torch.allclose(last, h_packed[-1])
    return {k: bool(v) for k, v in facts.items()}
""",
    },
    # 10.5 -----------------------------------------------------------------------------
    {
        "name": "ex10_5 loops and torch.stack; nan_to_num in sMAPE; a preallocated buffer",
        "cell": "ex10_5_solution",
        "source": """
def make_windows(series, context, horizon):
    xs, ys = [], []
    for i in range(len(series) - context - horizon + 1):
        xs.append(series[i : i + context])
        ys.append(series[i + context : i + context + horizon])
    return torch.stack(xs)[:, :, None], torch.stack(ys)


def moving_average_baseline(inputs, horizon, window=11):
    last = inputs[:, inputs.shape[1] - window :, 0]
    return (last.sum(dim=1) / window).unsqueeze(1).repeat(1, horizon)


def smape(prediction, target):
    terms = 2 * torch.abs(prediction - target) / (prediction.abs() + target.abs())
    return torch.nan_to_num(terms, nan=0.0).mean() * 100


@torch.no_grad()
def autoregressive_forecast(model, context, steps):
    B, T, _ = context.shape
    buffer = torch.cat([context, context.new_zeros(B, steps, 1)], dim=1)
    for s in range(steps):
        buffer[:, T + s, 0] = model(buffer[:, s : s + T])[:, 0]
    return buffer[:, T:, 0].clone()


class LSTMForecaster(nn.Module):
    def __init__(self, horizon=10, hidden_size=16):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, horizon)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])
""",
    },
    {
        "name": "ex10_5 index arithmetic; float64 inside sMAPE; a deque-like window",
        "cell": "ex10_5_solution",
        "source": """
def make_windows(series, context, horizon):
    m = series.shape[0] - context - horizon + 1
    index = torch.arange(m).unsqueeze(1) + torch.arange(context + horizon).unsqueeze(0)
    w = series[index]
    return w[:, :context].reshape(m, context, 1), w[:, context:]


def moving_average_baseline(inputs, horizon, window=11):
    mean = inputs[:, -window:].mean(dim=(1, 2))
    return torch.stack([mean] * horizon, dim=1)


def smape(prediction, target):
    p, t = prediction.double(), target.double()
    den = p.abs() + t.abs()
    safe = torch.where(den == 0, torch.ones_like(den), den)
    value = (200 * (p - t).abs() / safe).mean()
    return value.to(prediction.dtype)


def autoregressive_forecast(model, context, steps):
    window = context
    out = []
    with torch.no_grad():
        while len(out) < steps:
            value = model(window)[:, 0:1]
            out.append(value)
            window = torch.cat((window, value[:, :, None]), dim=1)[:, -context.shape[1]:]
    return torch.cat(out, dim=1)


class LSTMForecaster(nn.Module):
    def __init__(self, horizon: int = 10, hidden_size: int = 16):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden_size, 1, batch_first=True)
        self.head = nn.Linear(hidden_size, horizon)

    def forward(self, x):
        return self.head(self.lstm(x)[1][0].squeeze(0))
""",
    },
    # 10.6 -----------------------------------------------------------------------------
    {
        "name": "ex10_6 all gradients flattened into one vector; the coefficient clamped to 1",
        "cell": "ex10_6_solution",
        "source": """
def clip_grad_norm(parameters, max_norm, norm_type=2.0):
    params = [p for p in parameters if p.grad is not None]
    if len(params) == 0:
        return torch.tensor(0.0)
    flat = torch.cat([p.grad.reshape(-1) for p in params])
    if math.isinf(norm_type):
        total = flat.abs().max()
    else:
        total = torch.linalg.vector_norm(flat, ord=norm_type)
    coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    for p in params:
        p.grad.mul_(coef)
    return total


def train_with_clipping(model, batches, lr, max_norm=None):
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    record = {"losses": [], "norms": [], "clipped_fraction": 0.0}
    n_clipped = 0
    for x, y in batches:
        opt.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        if max_norm is None:
            norm = clip_grad_norm(model.parameters(), float("inf"))
        else:
            norm = clip_grad_norm(model.parameters(), max_norm)
            n_clipped += int(norm.item() > max_norm)
        record["losses"].append(float(loss))
        record["norms"].append(float(norm))
        opt.step()
    record["clipped_fraction"] = n_clipped / max(len(batches), 1)
    return record
""",
    },
    {
        "name": "ex10_6 sums of powers; an explicit scaling loop; model.zero_grad()",
        "cell": "ex10_6_solution",
        "source": """
def clip_grad_norm(parameters, max_norm, norm_type=2.0):
    grads = []
    for p in parameters:
        if p.grad is not None:
            grads.append(p.grad)
    if not grads:
        return torch.tensor(0.0)
    if norm_type == float("inf"):
        total = max(g.detach().abs().max() for g in grads)
    else:
        total = sum((g.detach().abs() ** norm_type).sum() for g in grads) ** (1.0 / norm_type)
    if total > max_norm:
        scale = max_norm / (total + 1e-6)
        for g in grads:
            g.mul_(scale)
    return total


def train_with_clipping(model, batches, lr, max_norm=None):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses, norms = [], []
    for x, y in batches:
        model.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        limit = max_norm if max_norm is not None else math.inf
        norms.append(clip_grad_norm(model.parameters(), limit).item())
        losses.append(loss.item())
        optimizer.step()
    if max_norm is None:
        fraction = 0.0
    else:
        fraction = sum(1 for n in norms if n > max_norm) / len(norms)
    return {"losses": losses, "norms": norms, "clipped_fraction": fraction}
""",
    },
]
