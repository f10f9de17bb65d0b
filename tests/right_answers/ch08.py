"""Correct answers to the Chapter 8 exercises, written the way other students would.

Each entry replaces one solution cell of ``solutions/ch08/ch08_exercises.ipynb``; every test
cell the answer reaches must keep its points (see autograder/corpus.py). They vary what the
statements leave open: ``nn.ReLU`` modules (in place or not) or ``F.relu``, ``out +=``
instead of a new sum, shortcuts chosen by a flag or by ``None``, helper functions.
"""

from __future__ import annotations

RIGHT_ANSWERS: list[dict] = [
    # 8.1 ------------------------------------------------------------------------------
    {
        "name": "ex8_1 torchvision's style: nn.ReLU(inplace=True), out += identity",
        "cell": "ex8_1_solution",
        "source": """
def conv3x3(c_in, c_out, stride=1):
    return nn.Conv2d(c_in, c_out, kernel_size=3, stride=stride, padding=1, bias=False)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = conv3x3(in_channels, out_channels, stride)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(out_channels, out_channels)
        self.bn2 = nn.BatchNorm2d(out_channels)
        if stride == 1 and in_channels == out_channels:
            self.downsample = None
        else:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )
        self.stride = stride

    def forward(self, x):
        identity = x
        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)
        out = self.conv2(out)
        out = self.bn2(out)
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        out = self.relu(out)
        return out
""",
    },
    {
        "name": "ex8_1 a flag for the projection, torch.relu, the sum written first",
        "cell": "ex8_1_solution",
        "source": """
class BasicBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int = 1) -> None:
        super().__init__()
        self.project = (stride, in_channels) != (1, out_channels)
        self.conv1 = nn.Conv2d(in_channels, out_channels, (3, 3), (stride, stride), (1, 1),
                               bias=False)
        self.bn1 = nn.BatchNorm2d(num_features=out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(num_features=out_channels)
        layers = [nn.Conv2d(in_channels, out_channels, 1, stride=stride, padding=0, bias=False),
                  nn.BatchNorm2d(out_channels)]
        self.downsample = nn.Sequential(*layers) if self.project else None

    def forward(self, x):
        skip = self.downsample(x) if self.project else x
        h = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(skip + self.bn2(self.conv2(h)))
""",
    },
    # 8.3 ------------------------------------------------------------------------------
    {
        "name": "ex8_3 nn.ReLU modules, a flag for the projection, out += s",
        "cell": "ex8_3_solution",
        "source": """
class PreActBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.relu1 = nn.ReLU()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.relu2 = nn.ReLU()
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.projects = stride != 1 or in_channels != out_channels
        if self.projects:
            self.shortcut = nn.Conv2d(in_channels, out_channels, 1, stride, bias=False)
        else:
            self.shortcut = None

    def forward(self, x):
        pre = self.relu1(self.bn1(x))
        if self.projects:
            skip = self.shortcut(pre)
        else:
            skip = x
        out = self.conv1(pre)
        out = self.relu2(self.bn2(out))
        out = self.conv2(out)
        out += skip
        return out
""",
    },
    {
        "name": "ex8_3 the branch as a helper method, torch.relu, the identity first",
        "cell": "ex8_3_solution",
        "source": """
class PreActBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int = 1) -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm2d(num_features=in_channels)
        self.conv1 = nn.Conv2d(in_channels, out_channels, kernel_size=(3, 3),
                               stride=(stride, stride), padding=(1, 1), bias=False)
        self.bn2 = nn.BatchNorm2d(num_features=out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, kernel_size=3, padding="same",
                               bias=False)
        same = stride == 1 and in_channels == out_channels
        self.shortcut = None if same else nn.Conv2d(in_channels, out_channels, 1,
                                                    stride=stride, bias=False)

    def branch(self, a):
        return self.conv2(torch.relu(self.bn2(self.conv1(a))))

    def forward(self, x):
        a = torch.relu(self.bn1(x))
        if self.shortcut is None:
            return x + self.branch(a)
        return self.shortcut(a) + self.branch(a)
""",
    },
    # 8.4 ------------------------------------------------------------------------------
    {
        "name": "ex8_4 a ResNet class with a _make_layer loop, a dict of the state saved",
        "cell": "ex8_4_solution",
        "source": """
class ResNet(nn.Module):
    def __init__(self, blocks_per_layer, num_classes=1000, cifar_stem=False):
        super().__init__()
        if cifar_stem:
            self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
            self.maxpool = nn.Identity()
        else:
            self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
            self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.in_planes = 64
        self.layer1 = self._make_layer(64, blocks_per_layer[0], 1)
        self.layer2 = self._make_layer(128, blocks_per_layer[1], 2)
        self.layer3 = self._make_layer(256, blocks_per_layer[2], 2)
        self.layer4 = self._make_layer(512, blocks_per_layer[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512, num_classes)

    def _make_layer(self, planes, n, stride):
        blocks = []
        for s in [stride] + [1] * (n - 1):
            blocks.append(BasicBlock(self.in_planes, planes, s))
            self.in_planes = planes
        return nn.Sequential(*blocks)

    def forward(self, x):
        x = self.conv1(x)
        x = self.bn1(x)
        x = self.relu(x)
        x = self.maxpool(x)
        for layer in [self.layer1, self.layer2, self.layer3, self.layer4]:
            x = layer(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.fc(x)


def resnet18(num_classes=1000, cifar_stem=False):
    return ResNet([2, 2, 2, 2], num_classes=num_classes, cifar_stem=cifar_stem)


def save_weights(model, path):
    torch.save(dict(model.state_dict()), path)


def load_for_inference(path, num_classes=10, cifar_stem=True):
    state = torch.load(path, map_location="cpu", weights_only=True)
    model = resnet18(num_classes, cifar_stem)
    model.load_state_dict(state, strict=True)
    model.eval()
    return model
""",
    },
    {
        "name": "ex8_4 setattr in a loop, getattr in forward, model.train(False), a file object",
        "cell": "ex8_4_solution",
        "source": """
class Net(nn.Module):
    def __init__(self, num_classes, cifar_stem):
        super().__init__()
        k, s, p = (3, 1, 1) if cifar_stem else (7, 2, 3)
        self.conv1 = nn.Conv2d(3, 64, kernel_size=k, stride=s, padding=p, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU()
        self.maxpool = nn.Identity() if cifar_stem else nn.MaxPool2d(3, stride=2, padding=1)
        widths = [64, 128, 256, 512]
        c_in = 64
        for i, width in enumerate(widths):
            first = BasicBlock(c_in, width, stride=1 if i == 0 else 2)
            setattr(self, f"layer{i + 1}", nn.Sequential(first, BasicBlock(width, width)))
            c_in = width
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(512, num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for i in range(1, 5):
            x = getattr(self, f"layer{i}")(x)
        return self.fc(self.avgpool(x).flatten(1))


def resnet18(num_classes: int = 1000, cifar_stem: bool = False) -> nn.Module:
    return Net(num_classes, cifar_stem)


def save_weights(model: nn.Module, path: str) -> None:
    with open(path, "wb") as f:
        torch.save(model.state_dict(), f)


def load_for_inference(path, num_classes=10, cifar_stem=True):
    model = resnet18(num_classes=num_classes, cifar_stem=cifar_stem)
    with open(path, "rb") as f:
        model.load_state_dict(torch.load(f, weights_only=True))
    model.train(False)
    return model
""",
    },
    # 8.5 ------------------------------------------------------------------------------
    {
        "name": "ex8_5 torchvision's style: in-place ReLU, a _make_layer, a list of sizes",
        "cell": "ex8_5_solution",
        "source": """
class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, in_channels, planes, stride=1):
        super().__init__()
        width = planes
        out = planes * self.expansion
        self.conv1 = nn.Conv2d(in_channels, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, out, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out)
        self.relu = nn.ReLU(inplace=True)
        if stride != 1 or in_channels != out:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out, 1, stride, bias=False), nn.BatchNorm2d(out)
            )
        else:
            self.downsample = None

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return self.relu(out)


class ResNet(nn.Module):
    def __init__(self, layers, num_classes=1000):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(64, layers[0])
        self.layer2 = self._make_layer(128, layers[1], stride=2)
        self.layer3 = self._make_layer(256, layers[2], stride=2)
        self.layer4 = self._make_layer(512, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * Bottleneck.expansion, num_classes)

    def _make_layer(self, planes, blocks, stride=1):
        layers = [Bottleneck(self.inplanes, planes, stride)]
        self.inplanes = planes * Bottleneck.expansion
        layers += [Bottleneck(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        x = self.layer4(x)
        x = self.avgpool(x)
        return self.fc(torch.flatten(x, 1))


def resnet50(num_classes=1000):
    return ResNet([3, 4, 6, 3], num_classes)


def saved_activation_bytes(model, x):
    param_ptrs = set()
    for p in model.parameters():
        param_ptrs.add(p.untyped_storage().data_ptr())
    sizes = []

    def pack(t):
        if t.untyped_storage().data_ptr() not in param_ptrs:
            sizes.append(t.numel() * t.element_size())
        return t

    model.train(True)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = model(x)
    del out
    return int(sum(sizes))
""",
    },
    {
        "name": "ex8_5 a flag for the projection, stages from a table, t.nbytes, a hook class",
        "cell": "ex8_5_solution",
        "source": """
class Bottleneck(nn.Module):
    def __init__(self, in_channels: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        c_out = planes * 4
        self.conv1 = nn.Conv2d(in_channels, planes, (1, 1), bias=False)
        self.conv2 = nn.Conv2d(planes, planes, (3, 3), stride=stride, padding=1, bias=False)
        self.conv3 = nn.Conv2d(planes, c_out, (1, 1), bias=False)
        self.bn1, self.bn2 = nn.BatchNorm2d(planes), nn.BatchNorm2d(planes)
        self.bn3 = nn.BatchNorm2d(c_out)
        self.has_projection = stride > 1 or in_channels != c_out
        self.downsample = (
            nn.Sequential(nn.Conv2d(in_channels, c_out, 1, stride=stride, bias=False),
                          nn.BatchNorm2d(c_out))
            if self.has_projection else None
        )

    def forward(self, x):
        h = torch.relu(self.bn1(self.conv1(x)))
        h = torch.relu(self.bn2(self.conv2(h)))
        h = self.bn3(self.conv3(h))
        return torch.relu(h + (self.downsample(x) if self.has_projection else x))


STAGES = [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]


class ResNet50(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        c = 64
        for i, (planes, n, stride) in enumerate(STAGES, start=1):
            blocks = nn.Sequential()
            for j in range(n):
                blocks.append(Bottleneck(c, planes, stride if j == 0 else 1))
                c = 4 * planes
            self.add_module(f"layer{i}", blocks)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c, num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for i in range(1, 5):
            x = getattr(self, f"layer{i}")(x)
        return self.fc(self.avgpool(x).flatten(1))


def resnet50(num_classes: int = 1000) -> nn.Module:
    return ResNet50(num_classes)


class _Counter:
    def __init__(self, skip):
        self.skip = skip
        self.total = 0

    def pack(self, t):
        if t.untyped_storage().data_ptr() not in self.skip:
            self.total += t.nbytes
        return t

    def unpack(self, t):
        return t


def saved_activation_bytes(model: nn.Module, x: torch.Tensor) -> int:
    counter = _Counter({w.untyped_storage().data_ptr() for w in model.parameters()})
    was_training = model.training
    model.train()
    with torch.autograd.graph.saved_tensors_hooks(counter.pack, counter.unpack):
        model(x)
    model.train(was_training)
    return counter.total
""",
    },
    # 8.2 ------------------------------------------------------------------------------
    {
        "name": "ex8_2 a module with nn.ReLU layers, the mean over the pixels, a loop to the "
        "first Conv2d, torch.linalg.vector_norm",
        "cell": "ex8_2_solution",
        "source": """
class Block(nn.Module):
    def __init__(self, skip):
        super().__init__()
        self.skip = skip
        self.conv1 = nn.Conv2d(16, 16, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(16, 16, 3, padding=1)
        self.relu2 = nn.ReLU()

    def forward(self, x):
        out = self.conv2(self.relu1(self.conv1(x)))
        if self.skip:
            out = out + x
        return self.relu2(out)


class DigitsNet(nn.Module):
    def __init__(self, n_blocks, skip):
        super().__init__()
        self.stem = nn.Conv2d(1, 16, 3, padding=1)
        self.blocks = nn.ModuleList([Block(skip) for _ in range(n_blocks)])
        self.head = nn.Linear(16, 10)

    def forward(self, x):
        x = torch.relu(self.stem(x))
        for block in self.blocks:
            x = block(x)
        return self.head(x.mean(dim=(2, 3)))


def make_plain(n_blocks):
    return DigitsNet(n_blocks, skip=False)


def make_residual(n_blocks):
    return DigitsNet(n_blocks, skip=True)


def first_layer_grad_norm(model, batch):
    x, y = batch
    model.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            break
    return float(torch.linalg.vector_norm(m.weight.grad))
""",
    },
    {
        "name": "ex8_2 one Sequential builder with a flag, nn.CrossEntropyLoss, grads set to None",
        "cell": "ex8_2_solution",
        "source": """
class TwoConvs(nn.Module):
    def __init__(self, residual: bool):
        super().__init__()
        self.residual = residual
        self.conv1 = nn.Conv2d(16, 16, kernel_size=(3, 3), padding="same")
        self.conv2 = nn.Conv2d(16, 16, kernel_size=(3, 3), padding="same")

    def forward(self, x):
        h = self.conv2(F.relu(self.conv1(x)))
        return F.relu(h + x) if self.residual else F.relu(h)


def build(n_blocks, residual):
    layers = [nn.Conv2d(1, 16, 3, padding=1), nn.ReLU()]
    layers += [TwoConvs(residual) for _ in range(n_blocks)]
    layers += [nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(16, 10)]
    return nn.Sequential(*layers)


def make_plain(n_blocks: int) -> nn.Module:
    return build(n_blocks, residual=False)


def make_residual(n_blocks: int) -> nn.Module:
    return build(n_blocks, residual=True)


def first_layer_grad_norm(model, batch):
    images, targets = batch
    for p in model.parameters():
        p.grad = None
    nn.CrossEntropyLoss()(model(images), targets).backward()
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    return convs[0].weight.grad.pow(2).sum().sqrt().item()
""",
    },
    # 8.7 ------------------------------------------------------------------------------
    {
        "name": "ex8_7 a DenseLayer class, x grown by torch.cat in the loop, Sequential "
        "transitions, the mean over the pixels",
        "cell": "ex8_7_solution",
        "source": """
class DenseLayer(nn.Module):
    def __init__(self, channels, growth_rate):
        super().__init__()
        self.norm = nn.BatchNorm2d(channels)
        self.conv = nn.Conv2d(channels, growth_rate, 3, padding=1, bias=False)

    def forward(self, x):
        return self.conv(torch.relu(self.norm(x)))


class DenseBlock(nn.Module):
    def __init__(self, in_channels, n_layers, growth_rate):
        super().__init__()
        self.layers = nn.ModuleList(
            [DenseLayer(in_channels + i * growth_rate, growth_rate) for i in range(n_layers)]
        )

    def forward(self, x):
        for layer in self.layers:
            x = torch.cat([x, layer(x)], dim=1)
        return x


class Transition(nn.Sequential):
    def __init__(self, in_channels, out_channels):
        super().__init__(
            nn.BatchNorm2d(in_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(in_channels, out_channels, kernel_size=1, bias=False),
            nn.AvgPool2d(kernel_size=2, stride=2),
        )


class SmallDenseNet(nn.Module):
    def __init__(self, growth_rate, n_layers, num_classes):
        super().__init__()
        c = 2 * growth_rate
        self.stem = nn.Conv2d(1, c, 3, padding=1, bias=False)
        self.block1 = DenseBlock(c, n_layers, growth_rate)
        c += n_layers * growth_rate
        self.trans1 = Transition(c, c // 2)
        c //= 2
        self.block2 = DenseBlock(c, n_layers, growth_rate)
        c += n_layers * growth_rate
        self.trans2 = Transition(c, c // 2)
        c //= 2
        self.block3 = DenseBlock(c, n_layers, growth_rate)
        c += n_layers * growth_rate
        self.norm = nn.BatchNorm2d(c)
        self.fc = nn.Linear(c, num_classes)

    def forward(self, x):
        x = self.trans1(self.block1(self.stem(x)))
        x = self.trans2(self.block2(x))
        x = torch.relu(self.norm(self.block3(x)))
        return self.fc(x.mean(dim=(2, 3)))


def small_densenet(growth_rate=12, n_layers=4, num_classes=10):
    return SmallDenseNet(growth_rate, n_layers, num_classes)
""",
    },
    {
        "name": "ex8_7 nn.Sequential layers in a loop, F.avg_pool2d, a while loop over the blocks",
        "cell": "ex8_7_solution",
        "source": """
class DenseBlock(nn.Module):
    def __init__(self, in_channels: int, n_layers: int, growth_rate: int) -> None:
        super().__init__()
        self.n_layers = n_layers
        for i in range(n_layers):
            c = in_channels + i * growth_rate
            layer = nn.Sequential(nn.BatchNorm2d(c), nn.ReLU(),
                                  nn.Conv2d(c, growth_rate, (3, 3), padding=(1, 1), bias=False))
            self.add_module(f"dense{i}", layer)

    def forward(self, x):
        outputs = [x]
        for i in range(self.n_layers):
            new = getattr(self, f"dense{i}")(torch.cat(outputs, 1))
            outputs = outputs + [new]
        return torch.cat(outputs, 1)


class Transition(nn.Module):
    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.bn = nn.BatchNorm2d(in_channels)
        self.relu = nn.ReLU()
        self.conv = nn.Conv2d(in_channels, out_channels, 1, bias=False)

    def forward(self, x):
        return F.avg_pool2d(self.conv(self.relu(self.bn(x))), kernel_size=2)


def small_densenet(growth_rate=12, n_layers=4, num_classes=10):
    model = nn.Sequential()
    c = 2 * growth_rate
    model.append(nn.Conv2d(1, c, 3, 1, 1, bias=False))
    block = 0
    while block < 3:
        model.append(DenseBlock(c, n_layers, growth_rate))
        c = c + n_layers * growth_rate
        if block != 2:
            model.append(Transition(c, c // 2))
            c = c // 2
        block += 1
    model.append(nn.BatchNorm2d(c))
    model.append(nn.ReLU())
    model.append(nn.AdaptiveAvgPool2d((1, 1)))
    model.append(nn.Flatten(1))
    model.append(nn.Linear(c, num_classes))
    return model
""",
    },
    # 8.6 ------------------------------------------------------------------------------
    {
        "name": "ex8_6 a separable window (two 1-D convolutions), bilinear upsampling, "
        "a pre-activation U-Net",
        "cell": "ex8_6_solution",
        "source": """
def gaussian_1d(size=11, sigma=1.5, dtype=torch.float32, device="cpu"):
    x = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    g = torch.exp(-x.pow(2) / (2 * sigma**2))
    return g / g.sum()


def ssim(a, b, data_range=1.0):
    c = a.shape[1]
    g = gaussian_1d(dtype=a.dtype, device=a.device)
    gx = g.view(1, 1, 1, 11).repeat(c, 1, 1, 1)
    gy = g.view(1, 1, 11, 1).repeat(c, 1, 1, 1)

    def filt(t):
        return F.conv2d(F.conv2d(t, gx, groups=c), gy, groups=c)

    C1 = (0.01 * data_range) ** 2
    C2 = (0.03 * data_range) ** 2
    mu1, mu2 = filt(a), filt(b)
    s11 = filt(a * a) - mu1 * mu1
    s22 = filt(b * b) - mu2 * mu2
    s12 = filt(a * b) - mu1 * mu2
    ssim_map = ((2 * mu1 * mu2 + C1) * (2 * s12 + C2)) / (
        (mu1 * mu1 + mu2 * mu2 + C1) * (s11 + s22 + C2)
    )
    return ssim_map.mean()


class PreBlock(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(c_in)
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1)
        self.proj = nn.Conv2d(c_in, c_out, 1) if c_in != c_out else None

    def forward(self, x):
        h = self.conv1(F.relu(self.bn1(x)))
        h = self.conv2(F.relu(self.bn2(h)))
        return h + (x if self.proj is None else self.proj(x))


class ResUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down1 = PreBlock(1, 8)
        self.down2 = PreBlock(8, 16)
        self.bottom = PreBlock(16, 24)
        self.up2 = PreBlock(24 + 16, 16)
        self.up1 = PreBlock(16 + 8, 8)
        self.head = nn.Conv2d(8, 1, 1)

    def forward(self, x):
        s1 = self.down1(x)
        s2 = self.down2(F.max_pool2d(s1, 2))
        h = self.bottom(F.max_pool2d(s2, 2))
        h = F.interpolate(h, scale_factor=2, mode="bilinear", align_corners=False)
        h = self.up2(torch.cat([h, s2], dim=1))
        h = F.interpolate(h, scale_factor=2, mode="bilinear", align_corners=False)
        h = self.up1(torch.cat([h, s1], dim=1))
        return x + self.head(h)
""",
    },
    {
        "name": "ex8_6 one channel at a time in float64, nn.Sequential blocks, the U-Net's "
        "levels in lists",
        "cell": "ex8_6_solution",
        "source": """
def ssim(a, b, data_range=1.0):
    i = torch.arange(11, dtype=torch.float64, device=a.device)
    g = torch.exp(-((i - 5) ** 2) / (2 * 1.5 * 1.5))
    w = torch.outer(g, g)
    w = (w / w.sum()).view(1, 1, 11, 11)
    L = float(data_range)
    c1 = (0.01 * L) ** 2
    c2 = (0.03 * L) ** 2
    maps = []
    for ch in range(a.shape[1]):
        x = a[:, ch : ch + 1].double()
        y = b[:, ch : ch + 1].double()
        mx, my = F.conv2d(x, w), F.conv2d(y, w)
        vx = F.conv2d(x * x, w) - mx**2
        vy = F.conv2d(y * y, w) - my**2
        cxy = F.conv2d(x * y, w) - mx * my
        maps.append(((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx**2 + my**2 + c1) * (vx + vy + c2)))
    return torch.cat(maps, dim=1).mean().to(a.dtype)


class Res(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
            nn.Conv2d(c_out, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out),
        )
        self.short = nn.Identity() if c_in == c_out else nn.Conv2d(c_in, c_out, 1, bias=False)

    def forward(self, x):
        return torch.relu(self.body(x) + self.short(x))


class ResUNet(nn.Module):
    def __init__(self):
        super().__init__()
        widths = [8, 16, 32]
        self.encoders = nn.ModuleList([Res(1, 8), Res(8, 16)])
        self.middle = Res(16, 32)
        self.ups = nn.ModuleList([nn.ConvTranspose2d(32, 16, 2, 2), nn.ConvTranspose2d(16, 8, 2, 2)])
        self.decoders = nn.ModuleList([Res(32, 16), Res(16, 8)])
        self.final = nn.Conv2d(widths[0], 1, 1)

    def forward(self, x):
        skips = []
        h = x
        for enc in self.encoders:
            h = enc(h)
            skips.append(h)
            h = F.max_pool2d(h, 2)
        h = self.middle(h)
        for up, dec, skip in zip(self.ups, self.decoders, reversed(skips)):
            h = dec(torch.cat([up(h), skip], dim=1))
        return self.final(h) + x
""",
    },
]
