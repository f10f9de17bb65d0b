"""Correct answers to the Chapter 9 exercises, written the way other students would.

Each entry replaces one solution cell of ``solutions/ch09/ch09_exercises.ipynb``; every test
cell the answer reaches must keep its points (see autograder/corpus.py). They vary what the
statements leave open: recursion or ``named_modules`` with ``get_submodule``, a while loop
over the history, ``train(mode)`` or saved flags, ``torch.var_mean``, statistics computed
by hand in float64, ``permute`` instead of ``transpose``, ``F.relu`` inside the branch
where the statement allows it, hooks removed with ``with``-like helpers.
"""

from __future__ import annotations

RIGHT_ANSWERS: list[dict] = [
    # 9.1 ------------------------------------------------------------------------------
    {
        "name": "ex9_1 named_modules and get_submodule, a new Conv2d with the weight copied",
        "cell": "ex9_1_solution",
        "source": """
def add_batchnorm(model):
    new = copy.deepcopy(model)
    convs = [name for name, m in new.named_modules() if isinstance(m, nn.Conv2d)]
    for name in convs:
        old = new.get_submodule(name)
        conv = nn.Conv2d(
            old.in_channels, old.out_channels, old.kernel_size, stride=old.stride,
            padding=old.padding, dilation=old.dilation, groups=old.groups, bias=False,
            device=old.weight.device, dtype=old.weight.dtype,
        )
        with torch.no_grad():
            conv.weight.copy_(old.weight)
        parent_name, _, child = name.rpartition(".")
        parent = new.get_submodule(parent_name) if parent_name else new
        parent._modules[child] = nn.Sequential(
            conv, nn.BatchNorm2d(old.out_channels, device=old.weight.device)
        )
    return new


def epochs_to(history, threshold):
    i = 0
    while i < len(history):
        if history[i] >= threshold:
            return i + 1
        i += 1
    return None
""",
    },
    {
        "name": "ex9_1 recursion that returns the new module, next() over the history",
        "cell": "ex9_1_solution",
        "source": """
def _with_bn(module):
    if isinstance(module, nn.Conv2d):
        module.register_parameter("bias", None)
        return nn.Sequential(module, nn.BatchNorm2d(module.out_channels).to(module.weight.device))
    for name, child in list(module.named_children()):
        setattr(module, name, _with_bn(child))
    return module


def add_batchnorm(model: nn.Module) -> nn.Module:
    return _with_bn(copy.deepcopy(model))


def epochs_to(history, threshold):
    return next((e + 1 for e, a in enumerate(history) if a >= threshold), None)
""",
    },
    # 9.2 ------------------------------------------------------------------------------
    {
        "name": "ex9_2 torch.inference_mode, flags of every module saved and restored",
        "cell": "ex9_2_solution",
        "source": """
def predict(model, x, batch_size):
    flags = [(m, m.training) for m in model.modules()]
    model.eval()
    outs = []
    with torch.inference_mode():
        for start in range(0, x.shape[0], batch_size):
            outs.append(model(x[start : start + batch_size]))
    for m, flag in flags:
        m.training = flag
    return torch.cat(outs, dim=0)
""",
    },
    {
        "name": "ex9_2 torch.split, no_grad as a decorator, an if for the mode",
        "cell": "ex9_2_solution",
        "source": """
@torch.no_grad()
def predict(model, x, batch_size):
    training = model.training
    model.eval()
    result = torch.cat([model(chunk) for chunk in torch.split(x, batch_size)])
    if training:
        model.train()
    return result
""",
    },
    # 9.3 ------------------------------------------------------------------------------
    {
        "name": "ex9_3 torch.var_mean, statistics in float64, reshape to (C, -1)",
        "cell": "ex9_3_solution",
        "source": """
class MyBatchNorm2d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True):
        super().__init__()
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        if affine:
            self.weight = nn.Parameter(torch.ones(num_features))
            self.bias = nn.Parameter(torch.zeros(num_features))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))

    def forward(self, x):
        c = x.shape[1]
        if self.training:
            flat = x.transpose(0, 1).reshape(c, -1)
            var, mean = torch.var_mean(flat, dim=1, correction=0)
            n = flat.shape[1]
            with torch.no_grad():
                self.num_batches_tracked.add_(1)
                f = self.momentum
                if f is None:
                    f = 1.0 / float(self.num_batches_tracked)
                new_mean = (1 - f) * self.running_mean.double() + f * mean.double()
                new_var = (1 - f) * self.running_var.double() + f * flat.double().var(dim=1)
                self.running_mean.copy_(new_mean)
                self.running_var.copy_(new_var)
        else:
            mean, var = self.running_mean, self.running_var
        y = (x - mean[None, :, None, None]) * torch.rsqrt(var[None, :, None, None] + self.eps)
        if self.affine:
            y = self.weight[None, :, None, None] * y + self.bias[None, :, None, None]
        return y
""",
    },
    {
        "name": "ex9_3 keepdim statistics, the unbiased variance from sums, lerp_ for the update",
        "cell": "ex9_3_solution",
        "source": """
class MyBatchNorm2d(nn.Module):
    def __init__(self, num_features: int, eps: float = 1e-5, momentum=0.1, affine: bool = True):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.weight = nn.Parameter(torch.ones(num_features)) if affine else None
        self.bias = nn.Parameter(torch.zeros(num_features)) if affine else None
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self.register_buffer("num_batches_tracked", torch.tensor(0))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            mean = x.mean(dim=(0, 2, 3), keepdim=True)
            centred = x - mean
            m = x.shape[0] * x.shape[2] * x.shape[3]
            sq = (centred**2).sum(dim=(0, 2, 3), keepdim=True)
            var = sq / m
            with torch.no_grad():
                self.num_batches_tracked += 1
                if self.momentum is None:
                    factor = 1 / self.num_batches_tracked.item()
                else:
                    factor = self.momentum
                self.running_mean.lerp_(mean.flatten(), factor)
                self.running_var.lerp_((sq / max(m - 1, 1)).flatten(), factor)
            y = centred / (var + self.eps).sqrt()
        else:
            mean = self.running_mean.view(1, -1, 1, 1)
            var = self.running_var.view(1, -1, 1, 1)
            y = (x - mean) / (var + self.eps).sqrt()
        if self.weight is not None:
            y = y * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)
        return y
""",
    },
    # 9.4 ------------------------------------------------------------------------------
    {
        "name": "ex9_4 flatten the normalised dimensions, permute for the sequences",
        "cell": "ex9_4_solution",
        "source": """
class MyLayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True):
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
        self.normalized_shape = tuple(shape)
        self.eps = eps
        if elementwise_affine:
            self.weight = nn.Parameter(torch.ones(*self.normalized_shape))
            self.bias = nn.Parameter(torch.zeros(*self.normalized_shape))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, x):
        k = len(self.normalized_shape)
        flat = x.reshape(*x.shape[: x.dim() - k], -1)
        mean = flat.mean(dim=-1, keepdim=True)
        var = ((flat - mean) ** 2).mean(dim=-1, keepdim=True)
        y = ((flat - mean) / torch.sqrt(var + self.eps)).reshape(x.shape)
        if self.weight is None:
            return y
        return self.weight * y + self.bias


class SequenceBatchNorm(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.bn = nn.BatchNorm1d(num_features, eps, momentum)

    def forward(self, x):
        return self.bn(x.permute(0, 2, 1)).permute(0, 2, 1)
""",
    },
    {
        "name": "ex9_4 torch.var_mean over a list of dimensions, mT for the sequences",
        "cell": "ex9_4_solution",
        "source": """
class MyLayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = [normalized_shape]
        self.normalized_shape = tuple(int(n) for n in normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        self.weight = nn.Parameter(torch.ones(self.normalized_shape)) if elementwise_affine else None
        self.bias = nn.Parameter(torch.zeros(self.normalized_shape)) if elementwise_affine else None

    def forward(self, x):
        dims = [x.dim() - 1 - i for i in range(len(self.normalized_shape))]
        var, mean = torch.var_mean(x, dim=dims, correction=0, keepdim=True)
        y = (x - mean) * torch.rsqrt(var + self.eps)
        if self.elementwise_affine:
            y = torch.addcmul(self.bias, y, self.weight)
        return y


class SequenceBatchNorm(nn.Module):
    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        super().__init__()
        self.bn = nn.BatchNorm1d(num_features=num_features, eps=eps, momentum=momentum)

    def forward(self, x):
        out = self.bn(x.mT.contiguous())
        return out.mT
""",
    },
    # 9.5 ------------------------------------------------------------------------------
    {
        "name": "ex9_5 one class per placement, a shared base class",
        "cell": "ex9_5_solution",
        "source": """
class _Base(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.relu1 = nn.ReLU(inplace=False)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.relu2 = nn.ReLU()


class PostAct(_Base):
    def forward(self, x):
        out = self.relu1(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu2(out + x)


class ReluBeforeBn(_Base):
    def forward(self, x):
        out = self.bn1(self.relu1(self.conv1(x)))
        out = self.bn2(self.relu2(self.conv2(out)))
        return out + x


class PreAct(_Base):
    def forward(self, x):
        out = self.conv1(self.relu1(self.bn1(x)))
        out = self.conv2(self.relu2(self.bn2(out)))
        return x + out


def make_block(placement, channels):
    kinds = {"conv-bn-relu": PostAct, "conv-relu-bn": ReluBeforeBn, "bn-relu-conv": PreAct}
    return kinds[placement](channels)
""",
    },
    {
        "name": "ex9_5 the order as a list of names, ModuleDict-free getattr loop",
        "cell": "ex9_5_solution",
        "source": """
ORDER = {
    "conv-bn-relu": ["conv1", "bn1", "relu1", "conv2", "bn2"],
    "conv-relu-bn": ["conv1", "relu1", "bn1", "conv2", "relu2", "bn2"],
    "bn-relu-conv": ["bn1", "relu1", "conv1", "bn2", "relu2", "conv2"],
}


class Block(nn.Module):
    def __init__(self, placement, channels):
        super().__init__()
        self.placement = placement
        for i in (1, 2):
            setattr(self, f"conv{i}", nn.Conv2d(channels, channels, kernel_size=3, padding=1, bias=False))
            setattr(self, f"bn{i}", nn.BatchNorm2d(channels))
            setattr(self, f"relu{i}", nn.ReLU())

    def forward(self, x):
        out = x
        for name in ORDER[self.placement]:
            out = getattr(self, name)(out)
        out = out + x
        if self.placement == "conv-bn-relu":
            out = self.relu2(out)
        return out


def make_block(placement: str, channels: int) -> nn.Module:
    if placement not in ORDER:
        raise ValueError(f"unknown placement {placement!r}")
    return Block(placement, channels)
""",
    },
    # 9.6 ------------------------------------------------------------------------------
    {
        "name": "ex9_6 var_mean, lists of rows, a flag for the mode, named_modules to replace",
        "cell": "ex9_6_solution",
        "source": """
def batch_statistics(model, loader, layer):
    rows = []

    def hook(module, args):
        x = args[0].detach()
        dims = (0,) + tuple(range(2, x.dim()))
        var, mean = torch.var_mean(x, dim=dims, correction=0)
        rows.append((mean, var))

    was = model.training
    handle = layer.register_forward_pre_hook(hook)
    with torch.no_grad():
        for batch in loader:
            model(batch[0])
    handle.remove()
    model.train(was)
    return torch.stack([m for m, _ in rows]), torch.stack([v for _, v in rows])


def replace_norm(model, kind):
    new = copy.deepcopy(model)
    targets = [n for n, m in new.named_modules() if isinstance(m, nn.BatchNorm2d)]
    for name in targets:
        old = new.get_submodule(name)
        c, device = old.num_features, old.running_mean.device
        if kind == "none":
            layer = nn.Identity()
        else:
            layer = nn.GroupNorm(8 if kind == "group" else 1, c).to(device)
        parent, _, attr = name.rpartition(".")
        setattr(new.get_submodule(parent) if parent else new, attr, layer)
    return new
""",
    },
    {
        "name": "ex9_6 transpose and flatten, float64 statistics, recursion returning modules",
        "cell": "ex9_6_solution",
        "source": """
def batch_statistics(model, loader, layer):
    means, variances = [], []

    def pre_hook(module, inputs):
        x = inputs[0].transpose(0, 1).reshape(inputs[0].shape[1], -1).double()
        means.append(x.mean(dim=1).float())
        variances.append(((x - x.mean(dim=1, keepdim=True)) ** 2).mean(dim=1).float())

    handle = layer.register_forward_pre_hook(pre_hook)
    try:
        for x, _ in loader:
            with torch.no_grad():
                model(x)
    finally:
        handle.remove()
    return torch.stack(means), torch.stack(variances)


def _swap(module, kind):
    if isinstance(module, nn.BatchNorm2d):
        if kind == "group":
            return nn.GroupNorm(8, module.num_features, device=module.running_mean.device)
        if kind == "layer":
            return nn.GroupNorm(1, module.num_features, device=module.running_mean.device)
        return nn.Identity()
    for name, child in module.named_children():
        module.add_module(name, _swap(child, kind))
    return module


def replace_norm(model, kind):
    return _swap(copy.deepcopy(model), kind)
""",
    },
]
