"""Plausible wrong answers to the Chapter 8 exercises: tests of the tests.

Each entry replaces one solution cell of ``solutions/ch08/ch08_exercises.ipynb`` with what a
student might submit: the reference solution with one plausible mistake. Grading the notebook
with that cell must make exactly the test cells in ``fails`` lose their points, each on one of
the clauses in ``breaks`` (keys of the cells' CONTRACT), while every other test cell keeps them.
Later exercises build on ``BasicBlock`` (8.4's ResNet-18), so a wrong block also fails there.

Each entry is written as edits of the reference cell: ``(correct text, wrong text)`` pairs,
each of which must occur exactly once in the cell. The mistake is all that an entry shows.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from autograder.corpus import edited_answer, solution_cells

_SOURCE = Path(__file__).resolve().parents[2] / "solutions" / "ch08" / "ch08_exercises.ipynb"


_CORRECT = solution_cells(_SOURCE)
_wrong = partial(edited_answer, _CORRECT)

# test cells of Exercise 8.4, whose ResNet-18 is built of BasicBlocks: a block with wrong
# names fails all three, a block with a wrong forward pass the two that run the network
_BLOCK_NAMES = ["ex8_4_tests_layers", "ex8_4_tests_outputs", "ex8_4_tests_saving"]
_BLOCK_FORWARD = ["ex8_4_tests_outputs", "ex8_4_tests_saving"]

WRONG_ANSWERS: list[dict] = [
    # 8.1 ------------------------------------------------------------------------------
    _wrong(
        "ex8_1 the first convolution with a bias",
        "ex8_1_solution",
        [
            (
                "in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False",
                "in_channels, out_channels, kernel_size=3, stride=stride, padding=1",
            )
        ],
        ["ex8_1_tests_layers", "ex8_1_tests_forward", *_BLOCK_NAMES],
        ["layers", "forward", "names", "outputs", "load"],
    ),
    _wrong(
        "ex8_1 a projection in every block, also when the shape does not change",
        "ex8_1_solution",
        [("        if stride != 1 or in_channels != out_channels:\n", "        if True:\n")],
        ["ex8_1_tests_layers", "ex8_1_tests_forward", *_BLOCK_NAMES],
        ["downsample", "forward", "names", "outputs", "load"],
    ),
    _wrong(
        "ex8_1 a projection without batch norm",
        "ex8_1_solution",
        [("                nn.BatchNorm2d(out_channels),\n", "")],
        ["ex8_1_tests_layers", "ex8_1_tests_forward", *_BLOCK_NAMES],
        ["downsample", "forward", "names", "outputs", "load"],
    ),
    _wrong(
        "ex8_1 nn.Identity() instead of None when the shape does not change",
        "ex8_1_solution",
        [
            ("        self.downsample = None\n", "        self.downsample = nn.Identity()\n"),
            (
                "        shortcut = x if self.downsample is None else self.downsample(x)\n",
                "        shortcut = self.downsample(x)\n",
            ),
        ],
        ["ex8_1_tests_layers"],
        ["downsample"],
    ),
    _wrong(
        "ex8_1 no ReLU after the addition",
        "ex8_1_solution",
        [("        return F.relu(out + shortcut)", "        return out + shortcut")],
        ["ex8_1_tests_forward", *_BLOCK_FORWARD],
        ["forward", "outputs", "load"],
    ),
    _wrong(
        "ex8_1 the ReLU before the addition (relu(bn2(conv2(out))) + shortcut)",
        "ex8_1_solution",
        [
            (
                "        out = self.bn2(self.conv2(out))\n",
                "        out = F.relu(self.bn2(self.conv2(out)))\n",
            ),
            ("        return F.relu(out + shortcut)", "        return out + shortcut"),
        ],
        ["ex8_1_tests_forward", *_BLOCK_FORWARD],
        ["forward", "outputs", "load"],
    ),
    _wrong(
        "ex8_1 the stride on the second convolution instead of the first",
        "ex8_1_solution",
        [
            (
                "in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False",
                "in_channels, out_channels, kernel_size=3, padding=1, bias=False",
            ),
            (
                "out_channels, out_channels, kernel_size=3, padding=1, bias=False",
                "out_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False",
            ),
        ],
        ["ex8_1_tests_forward", *_BLOCK_FORWARD],
        ["forward", "outputs", "load"],
    ),
    # 8.3 ------------------------------------------------------------------------------
    _wrong(
        "ex8_3 the pre-activated input on the identity shortcut too (the chapter's listing)",
        "ex8_3_solution",
        [
            (
                "        s = x if self.shortcut is None else self.shortcut(a)\n",
                "        s = a if self.shortcut is None else self.shortcut(a)\n",
            )
        ],
        ["ex8_3_tests_identity", "ex8_3_tests_forward"],
        ["identity", "forward"],
    ),
    _wrong(
        "ex8_3 a ReLU after the addition",
        "ex8_3_solution",
        [("        return out + s", "        return F.relu(out + s)")],
        ["ex8_3_tests_identity", "ex8_3_tests_forward"],
        ["identity", "forward"],
    ),
    _wrong(
        "ex8_3 the projection applied to x instead of the pre-activated input",
        "ex8_3_solution",
        [
            (
                "        s = x if self.shortcut is None else self.shortcut(a)\n",
                "        s = x if self.shortcut is None else self.shortcut(x)\n",
            )
        ],
        ["ex8_3_tests_forward"],
        ["forward"],
    ),
    _wrong(
        "ex8_3 a batch norm in the projection (torchvision's downsample)",
        "ex8_3_solution",
        [
            (
                "            self.shortcut = nn.Conv2d(\n"
                "                in_channels, out_channels, kernel_size=1, stride=stride, bias=False\n"
                "            )\n",
                "            self.shortcut = nn.Sequential(nn.Conv2d(\n"
                "                in_channels, out_channels, kernel_size=1, stride=stride, bias=False\n"
                "            ), nn.BatchNorm2d(out_channels))\n",
            )
        ],
        ["ex8_3_tests_identity", "ex8_3_tests_forward"],
        ["layers", "forward"],
    ),
    _wrong(
        "ex8_3 nn.Identity() instead of None when the shape does not change",
        "ex8_3_solution",
        [
            ("        self.shortcut = None\n", "        self.shortcut = nn.Identity()\n"),
            (
                "        s = x if self.shortcut is None else self.shortcut(a)\n",
                "        s = x if isinstance(self.shortcut, nn.Identity) else self.shortcut(a)\n",
            ),
        ],
        ["ex8_3_tests_identity"],
        ["layers"],
    ),
    _wrong(
        "ex8_3 bn2 applied after conv2 instead of before it",
        "ex8_3_solution",
        [
            (
                "        out = self.conv2(F.relu(self.bn2(out)))\n",
                "        out = self.bn2(self.conv2(F.relu(out)))\n",
            )
        ],
        ["ex8_3_tests_identity", "ex8_3_tests_forward"],
        ["identity", "forward"],
    ),
    # 8.4 ------------------------------------------------------------------------------
    _wrong(
        "ex8_4 the stages named stage1 to stage4",
        "ex8_4_solution",
        [
            (
                "        self.layer1 = nn.Sequential(BasicBlock(64, 64), BasicBlock(64, 64))\n",
                "        self.stage1 = nn.Sequential(BasicBlock(64, 64), BasicBlock(64, 64))\n",
            ),
            (
                "x = self.layer4(self.layer3(self.layer2(self.layer1(x))))",
                "x = self.layer4(self.layer3(self.layer2(self.stage1(x))))",
            ),
        ],
        ["ex8_4_tests_layers", "ex8_4_tests_outputs", "ex8_4_tests_saving"],
        ["names", "outputs", "load"],
    ),
    _wrong(
        "ex8_4 three blocks in layer3",
        "ex8_4_solution",
        [
            (
                "        self.layer3 = nn.Sequential(BasicBlock(128, 256, stride=2), BasicBlock(256, 256))\n",
                "        self.layer3 = nn.Sequential(\n"
                "            BasicBlock(128, 256, stride=2), BasicBlock(256, 256), BasicBlock(256, 256)\n"
                "        )\n",
            )
        ],
        ["ex8_4_tests_layers", "ex8_4_tests_outputs", "ex8_4_tests_saving"],
        ["names", "outputs", "load"],
    ),
    _wrong(
        "ex8_4 the CIFAR stem keeps the max-pooling",
        "ex8_4_solution",
        [
            (
                "            self.maxpool = nn.Identity()\n",
                "            self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)\n",
            )
        ],
        ["ex8_4_tests_outputs", "ex8_4_tests_saving"],
        ["outputs", "load"],
    ),
    _wrong(
        "ex8_4 layer2 without the stride 2 (the projection only changes the channels)",
        "ex8_4_solution",
        [("BasicBlock(64, 128, stride=2)", "BasicBlock(64, 128)")],
        ["ex8_4_tests_outputs", "ex8_4_tests_saving"],
        ["outputs", "load"],
    ),
    _wrong(
        "ex8_4 global max-pooling instead of average pooling",
        "ex8_4_solution",
        [
            (
                "        self.avgpool = nn.AdaptiveAvgPool2d(1)\n",
                "        self.avgpool = nn.AdaptiveMaxPool2d(1)\n",
            )
        ],
        ["ex8_4_tests_outputs", "ex8_4_tests_saving"],
        ["outputs", "load"],
    ),
    _wrong(
        "ex8_4 the whole model pickled instead of its state_dict",
        "ex8_4_solution",
        [
            ("    torch.save(model.state_dict(), path)\n", "    torch.save(model, path)\n"),
            (
                "    model.load_state_dict(torch.load(path, weights_only=True))\n",
                "    model.load_state_dict(torch.load(path, weights_only=False).state_dict())\n",
            ),
        ],
        ["ex8_4_tests_saving"],
        ["save", "load"],
    ),
    _wrong(
        "ex8_4 load_for_inference leaves the model in training mode",
        "ex8_4_solution",
        [("    return model.eval()", "    return model")],
        ["ex8_4_tests_saving"],
        ["load"],
    ),
    _wrong(
        "ex8_4 load_for_inference always builds the CIFAR stem",
        "ex8_4_solution",
        [
            (
                "    model = resnet18(num_classes=num_classes, cifar_stem=cifar_stem)\n",
                "    model = resnet18(num_classes=num_classes, cifar_stem=True)\n",
            )
        ],
        ["ex8_4_tests_saving"],
        ["load"],
    ),
    # 8.5 ------------------------------------------------------------------------------
    _wrong(
        "ex8_5 the stride on the first 1 x 1 convolution (the original ResNet v1)",
        "ex8_5_solution",
        [
            (
                "        self.conv1 = nn.Conv2d(in_channels, planes, kernel_size=1, bias=False)\n",
                "        self.conv1 = nn.Conv2d(in_channels, planes, kernel_size=1, stride=stride, bias=False)\n",
            ),
            (
                "            planes, planes, kernel_size=3, stride=stride, padding=1, bias=False\n",
                "            planes, planes, kernel_size=3, padding=1, bias=False\n",
            ),
        ],
        ["ex8_5_tests_block", "ex8_5_tests_resnet50"],
        ["forward", "outputs"],
    ),
    _wrong(
        "ex8_5 a projection only when the stride is not 1 (the widening from 64 to 256 forgotten)",
        "ex8_5_solution",
        [("        if stride != 1 or in_channels != out_channels:\n", "        if stride != 1:\n")],
        ["ex8_5_tests_block", "ex8_5_tests_resnet50"],
        ["layers", "names"],
    ),
    _wrong(
        "ex8_5 no ReLU after bn2",
        "ex8_5_solution",
        [
            (
                "        out = F.relu(self.bn2(self.conv2(out)))\n",
                "        out = self.bn2(self.conv2(out))\n",
            )
        ],
        ["ex8_5_tests_block", "ex8_5_tests_resnet50"],
        ["forward", "outputs"],
    ),
    _wrong(
        "ex8_5 the projection's convolution with a bias",
        "ex8_5_solution",
        [
            (
                "nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride, bias=False),",
                "nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride),",
            )
        ],
        ["ex8_5_tests_block", "ex8_5_tests_resnet50"],
        ["layers", "names"],
    ),
    _wrong(
        "ex8_5 23 blocks in layer3 (ResNet-101)",
        "ex8_5_solution",
        [("_bottleneck_layer(512, 256, 6, stride=2)", "_bottleneck_layer(512, 256, 23, stride=2)")],
        ["ex8_5_tests_resnet50"],
        ["names"],
    ),
    _wrong(
        "ex8_5 stride 2 in the first block of layer1 too",
        "ex8_5_solution",
        [
            (
                "self.layer1 = _bottleneck_layer(64, 64, 3, stride=1)",
                "self.layer1 = _bottleneck_layer(64, 64, 3, stride=2)",
            )
        ],
        ["ex8_5_tests_resnet50"],
        ["outputs"],
    ),
    _wrong(
        "ex8_5 the weights counted too",
        "ex8_5_solution",
        [
            (
                "        if t.untyped_storage().data_ptr() not in weights:\n            total += t.numel() * t.element_size()\n",
                "        total += t.numel() * t.element_size()\n",
            )
        ],
        ["ex8_5_tests_memory"],
        ["bytes"],
    ),
    _wrong(
        "ex8_5 numbers counted instead of bytes",
        "ex8_5_solution",
        [
            (
                "            total += t.numel() * t.element_size()\n",
                "            total += t.numel()\n",
            )
        ],
        ["ex8_5_tests_memory"],
        ["bytes"],
    ),
    _wrong(
        "ex8_5 each saved tensor counted once, however often it is saved",
        "ex8_5_solution",
        [
            ("    total = 0\n", "    total = 0\n    seen = set()\n"),
            (
                "        if t.untyped_storage().data_ptr() not in weights:\n",
                "        if t.untyped_storage().data_ptr() not in weights | seen:\n"
                "            seen.add(t.untyped_storage().data_ptr())\n",
            ),
        ],
        ["ex8_5_tests_memory"],
        ["bytes"],
    ),
    _wrong(
        "ex8_5 the model measured in the mode it was handed over in",
        "ex8_5_solution",
        [("    model.train()\n", "")],
        ["ex8_5_tests_memory"],
        ["train-mode"],
    ),
    # 8.2 ------------------------------------------------------------------------------
    _wrong(
        "ex8_2 no ReLU after the addition in the residual block",
        "ex8_2_solution",
        [
            (
                "        return F.relu(x + self.conv2(F.relu(self.conv1(x))))\n",
                "        return x + self.conv2(F.relu(self.conv1(x)))\n",
            )
        ],
        ["ex8_2_tests_models"],
        ["residual"],
    ),
    _wrong(
        "ex8_2 the ReLU on the branch before the addition, x + relu(conv2(...))",
        "ex8_2_solution",
        [
            (
                "        return F.relu(x + self.conv2(F.relu(self.conv1(x))))\n",
                "        return x + F.relu(self.conv2(F.relu(self.conv1(x))))\n",
            )
        ],
        ["ex8_2_tests_models"],
        ["residual"],
    ),
    _wrong(
        "ex8_2 the plain network built with the residual blocks too",
        "ex8_2_solution",
        [
            (
                "    return _digits_net(PlainBlock, n_blocks)\n",
                "    return _digits_net(ResidualBlock, n_blocks)\n",
            )
        ],
        ["ex8_2_tests_models", "ex8_2_tests_depth"],
        ["plain", "depth"],
    ),
    _wrong(
        "ex8_2 batch norm after every convolution of the blocks",
        "ex8_2_solution",
        [
            (
                "        self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, padding=1)\n",
                "        self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, padding=1)\n"
                "        self.bn1 = nn.BatchNorm2d(channels)\n        self.bn2 = nn.BatchNorm2d(channels)\n",
            ),
            (
                "        return F.relu(self.conv2(F.relu(self.conv1(x))))\n",
                "        return F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))\n",
            ),
            (
                "        return F.relu(x + self.conv2(F.relu(self.conv1(x))))\n",
                "        return F.relu(x + self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))\n",
            ),
        ],
        ["ex8_2_tests_models", "ex8_2_tests_depth"],
        ["plain", "depth"],
    ),
    _wrong(
        "ex8_2 no ReLU after the stem",
        "ex8_2_solution",
        [
            (
                "        nn.Conv2d(1, 16, kernel_size=3, padding=1),\n        nn.ReLU(),\n",
                "        nn.Conv2d(1, 16, kernel_size=3, padding=1),\n",
            )
        ],
        ["ex8_2_tests_models"],
        ["plain"],
    ),
    _wrong(
        "ex8_2 the gradients not set to zero first (they add up)",
        "ex8_2_solution",
        [("    model.zero_grad()\n", "")],
        ["ex8_2_tests_grad"],
        ["zeroed"],
    ),
    _wrong(
        "ex8_2 the norm of the last convolution's gradient",
        "ex8_2_solution",
        [
            (
                "    first = next(m for m in model.modules() if isinstance(m, nn.Conv2d))\n",
                "    first = [m for m in model.modules() if isinstance(m, nn.Conv2d)][-1]\n",
            )
        ],
        ["ex8_2_tests_grad"],
        ["norm"],
    ),
    _wrong(
        "ex8_2 the norm returned as a tensor",
        "ex8_2_solution",
        [("    return first.weight.grad.norm().item()", "    return first.weight.grad.norm()")],
        ["ex8_2_tests_grad"],
        ["norm"],
    ),
    _wrong(
        "ex8_2 the norm of the bias's gradient",
        "ex8_2_solution",
        [
            (
                "    return first.weight.grad.norm().item()",
                "    return first.bias.grad.norm().item()",
            )
        ],
        ["ex8_2_tests_grad"],
        ["norm"],
    ),
    # 8.7 ------------------------------------------------------------------------------
    _wrong(
        "ex8_7 the new feature maps concatenated in front of the old ones",
        "ex8_7_solution",
        [
            (
                "            features.append(layer(torch.cat(features, dim=1)))\n",
                "            features.insert(0, layer(torch.cat(features, dim=1)))\n",
            )
        ],
        ["ex8_7_tests_block", "ex8_7_tests_network"],
        ["forward"],
    ),
    _wrong(
        "ex8_7 the block returns only the new feature maps, not its input",
        "ex8_7_solution",
        [
            (
                "        return torch.cat(features, dim=1)",
                "        return torch.cat(features[1:], dim=1)",
            )
        ],
        ["ex8_7_tests_block", "ex8_7_tests_network", "ex8_7_tests_training"],
        ["size", "forward", "accuracy"],
    ),
    _wrong(
        "ex8_7 the block's convolutions with a bias",
        "ex8_7_solution",
        [
            (
                "nn.Conv2d(channels, growth_rate, kernel_size=3, padding=1, bias=False)",
                "nn.Conv2d(channels, growth_rate, kernel_size=3, padding=1)",
            )
        ],
        ["ex8_7_tests_block", "ex8_7_tests_network"],
        ["size", "forward"],
    ),
    _wrong(
        "ex8_7 a layer of the block as conv, batch norm, ReLU (post-activation)",
        "ex8_7_solution",
        [
            (
                "                    nn.BatchNorm2d(channels),\n"
                "                    nn.ReLU(),\n"
                "                    nn.Conv2d(channels, growth_rate, kernel_size=3, padding=1, bias=False),\n",
                "                    nn.Conv2d(channels, growth_rate, kernel_size=3, padding=1, bias=False),\n"
                "                    nn.BatchNorm2d(growth_rate),\n"
                "                    nn.ReLU(),\n",
            )
        ],
        ["ex8_7_tests_block", "ex8_7_tests_network"],
        ["size", "forward"],
    ),
    _wrong(
        "ex8_7 max-pooling in the transition",
        "ex8_7_solution",
        [
            (
                "        return F.avg_pool2d(self.conv(F.relu(self.bn(x))), 2)",
                "        return F.max_pool2d(self.conv(F.relu(self.bn(x))), 2)",
            )
        ],
        ["ex8_7_tests_transition", "ex8_7_tests_network"],
        ["forward"],
    ),
    _wrong(
        "ex8_7 no ReLU in the transition",
        "ex8_7_solution",
        [
            (
                "        return F.avg_pool2d(self.conv(F.relu(self.bn(x))), 2)",
                "        return F.avg_pool2d(self.conv(self.bn(x)), 2)",
            )
        ],
        ["ex8_7_tests_transition", "ex8_7_tests_network"],
        ["forward"],
    ),
    _wrong(
        "ex8_7 no batch norm and ReLU before the pooling at the end",
        "ex8_7_solution",
        [
            (
                "        nn.BatchNorm2d(channels),\n        nn.ReLU(),\n        nn.AdaptiveAvgPool2d(1),\n",
                "        nn.AdaptiveAvgPool2d(1),\n",
            )
        ],
        ["ex8_7_tests_network"],
        ["forward"],
    ),
    _wrong(
        "ex8_7 transitions that keep the number of channels",
        "ex8_7_solution",
        [
            (
                "            layers.append(Transition(channels, channels // 2))\n            channels //= 2\n",
                "            layers.append(Transition(channels, channels))\n",
            )
        ],
        ["ex8_7_tests_network"],
        ["forward"],
    ),
    _wrong(
        "ex8_7 a growth rate of 48 whatever the argument",
        "ex8_7_solution",
        [
            (
                "    channels = 2 * growth_rate\n",
                "    growth_rate = 48\n    channels = 2 * growth_rate\n",
            )
        ],
        ["ex8_7_tests_network", "ex8_7_tests_training"],
        ["forward", "limits"],
    ),
    # 8.6 ------------------------------------------------------------------------------
    _wrong(
        "ex8_6 a uniform 11 x 11 window instead of the Gaussian",
        "ex8_6_solution",
        [
            (
                "    g = torch.exp(-(offsets**2) / (2 * 1.5**2))\n",
                "    g = torch.ones_like(offsets)\n",
            )
        ],
        ["ex8_6_tests_ssim"],
        ["ssim"],
    ),
    _wrong(
        "ex8_6 the window's sigma taken as 1.5 squared",
        "ex8_6_solution",
        [
            (
                "    g = torch.exp(-(offsets**2) / (2 * 1.5**2))\n",
                "    g = torch.exp(-(offsets**2) / (2 * 1.5**4))\n",
            )
        ],
        ["ex8_6_tests_ssim"],
        ["ssim"],
    ),
    _wrong(
        "ex8_6 zero padding so that the SSIM map has the image's size",
        "ex8_6_solution",
        [
            (
                "        return F.conv2d(t, window, groups=channels)\n",
                "        return F.conv2d(t, window, padding=5, groups=channels)\n",
            )
        ],
        ["ex8_6_tests_ssim"],
        ["ssim"],
    ),
    _wrong(
        "ex8_6 C1 and C2 for images in [0, 1] whatever data_range",
        "ex8_6_solution",
        [
            (
                "    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2\n",
                "    c1, c2 = 0.01**2, 0.03**2\n",
            )
        ],
        ["ex8_6_tests_ssim"],
        ["data-range"],
    ),
    _wrong(
        "ex8_6 the channels averaged together by one window over all of them",
        "ex8_6_solution",
        [
            (
                "    window = (g[:, None] * g[None, :]).expand(channels, 1, 11, 11)\n",
                "    window = (g[:, None] * g[None, :]).expand(1, channels, 11, 11) / channels\n",
            ),
            (
                "        return F.conv2d(t, window, groups=channels)\n",
                "        return F.conv2d(t, window)\n",
            ),
        ],
        ["ex8_6_tests_ssim"],
        ["channels"],
    ),
    _wrong(
        "ex8_6 the SSIM returned as a Python float",
        "ex8_6_solution",
        [
            (
                "    return (numerator / denominator).mean()",
                "    return (numerator / denominator).mean().item()",
            )
        ],
        ["ex8_6_tests_ssim"],
        ["ssim"],
    ),
    _wrong(
        "ex8_6 16, 32 and 64 channels (more than 40,000 parameters)",
        "ex8_6_solution",
        [("        c = 8\n", "        c = 16\n")],
        ["ex8_6_tests_model", "ex8_6_tests_denoising"],
        ["size", "limits"],
    ),
    _wrong(
        "ex8_6 a final 3 x 3 convolution without padding",
        "ex8_6_solution",
        [
            (
                "        self.out = nn.Conv2d(c, 1, kernel_size=1)\n",
                "        self.out = nn.Conv2d(c, 1, kernel_size=3)\n",
            )
        ],
        ["ex8_6_tests_model", "ex8_6_tests_denoising"],
        ["shape", "quality"],
    ),
    _wrong(
        "ex8_6 a sigmoid on the correction (it can only add, never remove)",
        "ex8_6_solution",
        [("        return x + self.out(d1)\n", "        return x + torch.sigmoid(self.out(d1))\n")],
        ["ex8_6_tests_denoising"],
        ["quality"],
    ),
]
