"""Correct answers to the Chapter 7 exercises, written the way other students would.

Each entry replaces one solution cell of ``solutions/ch07/ch07_exercises.ipynb``; every test
cell the answer reaches must keep its points (see autograder/corpus.py). They vary what the
statements leave open: named layers, ``padding="same"``, a pooling written with its stride,
the functional loss, batches by ``split`` or a while loop; the sizes with ``math.floor`` and
``math.ceil`` or integer arithmetic, pooling through the convolution's formula, the receptive
field from the output back; windows by a matrix of indices or by two ``unfold`` calls, and
forecasters written as a class, with pooling, ``padding="same"`` or kernels of 9.
"""

from __future__ import annotations

RIGHT_ANSWERS: list[dict] = [
    # 7.1 ------------------------------------------------------------------------------
    {
        "name": "ex7_1 named layers, padding='same', MaxPool2d(kernel_size=2, stride=2), "
        "F.cross_entropy, batches by perm.split",
        "cell": "ex7_1_solution",
        "source": """
from collections import OrderedDict


def make_digit_cnn():
    return nn.Sequential(
        OrderedDict(
            [
                ("conv1", nn.Conv2d(1, 32, 3, padding="same")),
                ("relu1", nn.ReLU()),
                ("pool1", nn.MaxPool2d(kernel_size=2, stride=2)),
                ("conv2", nn.Conv2d(32, 64, (3, 3), padding=(1, 1))),
                ("relu2", nn.ReLU()),
                ("pool2", nn.MaxPool2d((2, 2))),
                ("flatten", nn.Flatten()),
                ("fc1", nn.Linear(64 * 2 * 2, 128)),
                ("relu3", nn.ReLU()),
                ("fc2", nn.Linear(128, 10)),
            ]
        )
    )


def train_classifier(model, x, y, epochs, batch_size, lr, seed=0):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    losses = []
    for epoch in range(epochs):
        running = 0.0
        for batch in torch.randperm(len(x), generator=gen).split(batch_size):
            opt.zero_grad()
            loss = F.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            opt.step()
            running += loss.item() * batch.numel()
        losses.append(running / len(x))
    return losses
""",
    },
    {
        "name": "ex7_1 blocks built in a loop, model.train(), a while loop, set_to_none",
        "cell": "ex7_1_solution",
        "source": """
def make_digit_cnn() -> nn.Sequential:
    layers = []
    channels = [1, 32, 64]
    for c_in, c_out in zip(channels[:-1], channels[1:]):
        layers += [nn.Conv2d(c_in, c_out, kernel_size=3, stride=1, padding=1), nn.ReLU(),
                   nn.MaxPool2d(2)]
    layers += [nn.Flatten(start_dim=1), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)]
    return nn.Sequential(*layers)


def train_classifier(model, x, y, epochs, batch_size, lr, seed=0):
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator()
    generator.manual_seed(seed)
    history = []
    for _ in range(epochs):
        model.train()
        order = torch.randperm(x.shape[0], generator=generator)
        start, total = 0, 0.0
        while start < x.shape[0]:
            idx = order[start : start + batch_size]
            loss = criterion(model(x[idx]), y[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += float(loss) * idx.shape[0]
            start += batch_size
        history.append(total / x.shape[0])
    return history
""",
    },
    # 7.2 ------------------------------------------------------------------------------
    {
        "name": "ex7_2 math.floor and math.ceil, the receptive field from the output back",
        "cell": "ex7_2_solution",
        "source": """
def conv_output_size(n, kernel_size, stride=1, padding=0, dilation=1):
    return math.floor((n + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1


def pool_output_size(n, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    s = kernel_size if stride is None else stride
    x = (n + 2 * padding - dilation * (kernel_size - 1) - 1) / s
    if ceil_mode:
        out = math.ceil(x) + 1
        if (out - 1) * s >= n + padding:
            out = out - 1
        return out
    return math.floor(x) + 1


def transposed_output_size(n, kernel_size, stride=1, padding=0, output_padding=0,
                           dilation=1):
    effective = dilation * (kernel_size - 1) + 1
    return (n - 1) * stride - 2 * padding + effective + output_padding


def receptive_field(layers):
    r = 1
    for k, s, d in reversed(layers):
        r = (r - 1) * s + d * (k - 1) + 1
    return r
""",
    },
    {
        "name": "ex7_2 pooling through conv_output_size, ceil by integer arithmetic, "
        "math.prod of the strides",
        "cell": "ex7_2_solution",
        "source": """
def conv_output_size(n: int, kernel_size: int, stride: int = 1, padding: int = 0,
                     dilation: int = 1) -> int:
    effective_kernel = dilation * (kernel_size - 1) + 1
    return int((n + 2 * padding - effective_kernel) // stride + 1)


def pool_output_size(n, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    if stride is None:
        stride = kernel_size
    if not ceil_mode:
        return conv_output_size(n, kernel_size, stride, padding, dilation)
    span = n + 2 * padding - dilation * (kernel_size - 1) - 1
    out = (span + stride - 1) // stride + 1
    last_start = (out - 1) * stride
    if last_start >= n + padding:
        out -= 1
    return out


def transposed_output_size(n, kernel_size, stride=1, padding=0, output_padding=0,
                           dilation=1):
    size = (n - 1) * stride
    size -= 2 * padding
    size += dilation * (kernel_size - 1)
    return size + output_padding + 1


def receptive_field(layers):
    total = 1
    for i, (k, s, d) in enumerate(layers):
        total += (k - 1) * d * math.prod(layer[1] for layer in layers[:i])
    return total
""",
    },
    # 7.3 ------------------------------------------------------------------------------
    {
        "name": "ex7_3 windows by a matrix of indices; a forecaster class with max pooling",
        "cell": "ex7_3_solution",
        "source": """
def make_windows(series, window, horizon, step=1):
    n = (len(series) - window - horizon) // step + 1
    starts = torch.arange(n, device=series.device) * step
    rows = starts.unsqueeze(1) + torch.arange(window + horizon, device=series.device)
    pieces = series[rows]
    return pieces[:, :window], pieces[:, window:]


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 64, 7, padding=3), nn.ReLU(), nn.AdaptiveAvgPool1d(4),
        )
        self.head = nn.Linear(64 * 4, 10)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))


def make_forecaster():
    return Forecaster()
""",
    },
    {
        "name": "ex7_3 windows by two unfold calls (copies); kernels of 9, padding='same', "
        "strided pooling",
        "cell": "ex7_3_solution",
        "source": """
def make_windows(series, window, horizon, step=1):
    inputs = series[: len(series) - horizon].unfold(0, window, step)
    targets = series[window:].unfold(0, horizon, step)[: len(inputs)]
    return inputs.clone(), targets.clone()


def make_forecaster():
    return nn.Sequential(
        nn.Conv1d(1, 8, kernel_size=9, padding="same"), nn.GELU(), nn.AvgPool1d(2),
        nn.Conv1d(8, 16, kernel_size=9, padding="same"), nn.GELU(), nn.AvgPool1d(2),
        nn.Conv1d(16, 24, kernel_size=9, padding="same"), nn.GELU(),
        nn.Flatten(), nn.Linear(24 * 25, 32), nn.GELU(), nn.Linear(32, 10),
    )
""",
    },
]
