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
    # 7.4 ------------------------------------------------------------------------------
    {
        "name": "ex7_4 blocks by a comprehension, padding='same', zip over the channels, "
        "AdaptiveAvgPool2d((1, 1))",
        "cell": "ex7_4_solution",
        "source": """
def vgg_block(in_channels, out_channels, num_convs):
    channels = [in_channels] + [out_channels] * num_convs
    layers = [
        layer
        for c_in, c_out in zip(channels[:-1], channels[1:])
        for layer in (
            nn.Conv2d(c_in, c_out, (3, 3), padding="same", bias=False),
            nn.BatchNorm2d(c_out),
            nn.ReLU(inplace=True),
        )
    ]
    return nn.Sequential(*layers, nn.MaxPool2d(kernel_size=2, stride=2))


def make_vgg(widths, convs_per_block, in_channels=1, num_classes=10):
    ins = [in_channels, *widths[:-1]]
    blocks = [vgg_block(a, b, n) for a, b, n in zip(ins, widths, convs_per_block)]
    head = [nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(1), nn.Linear(widths[-1], num_classes)]
    return nn.Sequential(*blocks, *head)
""",
    },
    {
        "name": "ex7_4 layers appended one by one, named entries (OrderedDict) in make_vgg",
        "cell": "ex7_4_solution",
        "source": """
from collections import OrderedDict


def vgg_block(in_channels, out_channels, num_convs):
    block = nn.Sequential()
    for i in range(num_convs):
        block.append(nn.Conv2d(out_channels if i else in_channels, out_channels,
                               kernel_size=3, stride=1, padding=1, bias=False))
        block.append(nn.BatchNorm2d(out_channels))
        block.append(nn.ReLU())
    block.append(nn.MaxPool2d(2))
    return block


def make_vgg(widths, convs_per_block, in_channels=1, num_classes=10):
    entries = OrderedDict()
    previous = in_channels
    for k in range(len(widths)):
        entries[f"block{k + 1}"] = vgg_block(previous, widths[k], convs_per_block[k])
        previous = widths[k]
    entries["gap"] = nn.AdaptiveAvgPool2d(output_size=1)
    entries["flatten"] = nn.Flatten()
    entries["fc"] = nn.Linear(previous, num_classes)
    return nn.Sequential(entries)
""",
    },
    # 7.5 ------------------------------------------------------------------------------
    {
        "name": "ex7_5 psnr by F.mse_loss and math.log10; padding='same', F.max_pool2d, "
        "torch.concat",
        "cell": "ex7_5_solution",
        "source": """
def psnr(estimate, target):
    mse = F.mse_loss(estimate.double(), target.double()).item()
    return 10 * math.log10(1.0 / mse)


def conv_block(c_in, c_out):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding="same"), nn.BatchNorm2d(c_out),
                         nn.ReLU(inplace=True))


def upconv_block(c_in, c_out):
    return nn.Sequential(nn.ConvTranspose2d(c_in, c_out, (2, 2), stride=(2, 2)),
                         nn.BatchNorm2d(c_out), nn.ReLU())


class SimpleUNet(nn.Module):
    def __init__(self, width=8):
        super().__init__()
        self.enc1 = conv_block(1, width)
        self.enc2 = conv_block(width, width * 2)
        self.enc3 = conv_block(width * 2, width * 4)
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.dec3 = upconv_block(width * 4, width * 2)
        self.dec2 = upconv_block(width * 2 + width * 2, width)
        self.dec1 = nn.Conv2d(width + width, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        e3 = self.enc3(F.max_pool2d(e2, 2))
        d2 = self.dec2(torch.concat((self.dec3(e3), e2), 1))
        return self.dec1(torch.concat((d2, e1), 1)).sigmoid()
""",
    },
    {
        "name": "ex7_5 psnr with -10 log10(MSE) in float32; blocks written out, nn.Sigmoid "
        "module, a loop over the decoder",
        "cell": "ex7_5_solution",
        "source": """
def psnr(estimate: torch.Tensor, target: torch.Tensor) -> float:
    mse = torch.mean((estimate - target) ** 2)
    return float(-10 * torch.log10(mse))


def conv_block(c_in, c_out):
    conv = nn.Conv2d(in_channels=c_in, out_channels=c_out, kernel_size=3, stride=1, padding=1)
    return nn.Sequential(conv, nn.BatchNorm2d(num_features=c_out), nn.ReLU())


def upconv_block(c_in, c_out):
    layers = [nn.ConvTranspose2d(c_in, c_out, kernel_size=2, stride=2)]
    layers += [nn.BatchNorm2d(c_out), nn.ReLU()]
    return nn.Sequential(*layers)


class SimpleUNet(nn.Module):
    def __init__(self, width: int = 8) -> None:
        super().__init__()
        w = width
        self.pool = nn.MaxPool2d(2)
        self.enc1, self.enc2, self.enc3 = conv_block(1, w), conv_block(w, 2 * w), conv_block(2 * w, 4 * w)
        self.dec3, self.dec2 = upconv_block(4 * w, 2 * w), upconv_block(4 * w, w)
        self.dec1 = nn.Conv2d(2 * w, 1, kernel_size=1)
        self.squash = nn.Sigmoid()

    def forward(self, x):
        skips = []
        h = x
        for enc in (self.enc1, self.enc2):
            h = enc(h)
            skips.append(h)
            h = self.pool(h)
        h = self.dec3(self.enc3(h))
        for dec, skip in zip((self.dec2, self.dec1), reversed(skips)):
            h = dec(torch.cat([h, skip], dim=1))
        return self.squash(h)
""",
    },
    # 7.6 ------------------------------------------------------------------------------
    {
        "name": "ex7_6 a meshgrid of the voxels; GELU, stride-free blocks in a ModuleList, "
        "sizes collected in a list",
        "cell": "ex7_6_solution",
        "source": """
def make_blob_volume(centres, amplitudes, sigma, size):
    r = torch.arange(size, dtype=centres.dtype)
    grid = torch.stack(torch.meshgrid(r, r, r, indexing="ij"), dim=-1)  # (S, S, S, 3)
    d2 = ((grid.unsqueeze(0) - centres.view(-1, 1, 1, 1, 3)) ** 2).sum(dim=-1)
    weights = amplitudes.to(centres.dtype).view(-1, 1, 1, 1)
    return (weights * torch.exp(-d2 / (2 * sigma * sigma))).sum(0).unsqueeze(0)


class VolumetricCNN(nn.Module):
    def __init__(self):
        super().__init__()
        channels = [1, 6, 12, 24]
        self.blocks = nn.ModuleList(
            nn.Conv3d(a, b, kernel_size=3, padding=1) for a, b in zip(channels, channels[1:])
        )
        self.act = nn.GELU()
        self.fc = nn.Linear(24, 2)

    def forward(self, x):
        for i, conv in enumerate(self.blocks):
            x = self.act(conv(x))
            if i < 2:
                x = F.max_pool3d(x, 2)
        return self.fc(F.adaptive_avg_pool3d(x, 1).flatten(1))


def saved_activation_bytes(model, x):
    sizes = []

    def pack(t):
        sizes.append(t.numel() * t.element_size())
        return t

    def unpack(t):
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        out = model(x)
    return int(sum(sizes))
""",
    },
    {
        "name": "ex7_6 separable blobs by einsum; strided convolutions and a mean over the "
        "volume; the bytes of each tensor's dtype by its itemsize",
        "cell": "ex7_6_solution",
        "source": """
def make_blob_volume(centres, amplitudes, sigma, size):
    idx = torch.arange(size, dtype=centres.dtype)
    profiles = torch.exp(-((idx - centres.unsqueeze(-1)) ** 2) / (2 * sigma**2))  # (K, 3, S)
    a = amplitudes.to(centres.dtype)
    volume = torch.einsum("b,bi,bj,bk->ijk", a, profiles[:, 0], profiles[:, 1], profiles[:, 2])
    return volume[None]


class VolumetricCNN(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv3d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv3d(8, 16, 3, stride=2, padding=1)
        self.conv3 = nn.Conv3d(16, 32, 3, stride=2, padding=1)
        self.out = nn.Linear(32, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.relu(self.conv1(x))
        h = F.relu(self.conv2(h))
        h = F.relu(self.conv3(h))
        return self.out(h.mean(dim=(2, 3, 4)))


def saved_activation_bytes(model, x):
    counter = {"bytes": 0}

    def pack(tensor):
        counter["bytes"] += tensor.numel() * tensor.dtype.itemsize
        return tensor

    with torch.enable_grad():
        with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
            model(x)
    return counter["bytes"]
""",
    },
]
