"""Correct answers to the Chapter 4 exercises, written the way other students would.

Each entry replaces one solution cell of ``solutions/ch04/ch04_exercises.ipynb``; every test
cell the answer reaches must keep its points (see autograder/corpus.py). They vary what the
statements leave open: another way to loop over the batches, the functional losses instead of
the modules, parameters of another shape or dtype, copies where the statement allows them, a
valid learning rate other than the reference's.
"""

from __future__ import annotations

RIGHT_ANSWERS: list[dict] = [
    # 4.1 ------------------------------------------------------------------------------
    {
        "name": "ex4_1 named layers (OrderedDict), batches by perm.split, F.mse_loss",
        "cell": "ex4_1_solution",
        "source": """
from collections import OrderedDict


def make_sine_mlp():
    return nn.Sequential(
        OrderedDict(
            [
                ("hidden1", nn.Linear(1, 50)),
                ("act1", nn.ReLU()),
                ("hidden2", nn.Linear(50, 50)),
                ("act2", nn.ReLU()),
                ("out", nn.Linear(50, 1)),
            ]
        )
    )


def train_regressor(model, x, y, epochs, batch_size, lr, seed=0):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    losses = []
    for epoch in range(epochs):
        model.train()
        running = 0.0
        for batch in torch.randperm(len(x), generator=gen).split(batch_size):
            opt.zero_grad()
            loss = F.mse_loss(model(x[batch]), y[batch])
            loss.backward()
            opt.step()
            running += loss.item() * batch.numel()
        losses.append(running / len(x))
    return losses
""",
    },
    {
        "name": "ex4_1 layers from a list, a while loop, zero_grad after the step, train() per batch",
        "cell": "ex4_1_solution",
        "source": """
def make_sine_mlp() -> nn.Sequential:
    sizes = [1, 50, 50, 1]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def train_regressor(model, x, y, epochs, batch_size, lr, seed=0):
    criterion = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    n = x.shape[0]
    history = []
    for _ in range(epochs):
        perm = torch.randperm(n, generator=generator)
        sum_loss, i = 0.0, 0
        while i < n:
            model.train()
            batch = perm[i : i + batch_size]
            prediction = model(x[batch])
            loss = criterion(prediction, y[batch])
            loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=False)
            sum_loss += float(loss) * len(batch)
            i += batch_size
        history.append(sum_loss / n)
    return history
""",
    },
]
RIGHT_ANSWERS += [
    # 4.2 ------------------------------------------------------------------------------
    {
        "name": "ex4_2 a check of kind first, Huber with clamp, parameters of shape (1,)",
        "cell": "ex4_2_solution",
        "source": """
def regression_loss(pred, target, kind, delta=1.0):
    if kind not in ("mse", "l1", "huber"):
        raise ValueError(f"unknown kind: {kind}")
    residual = pred - target
    if kind == "mse":
        return torch.mean(residual * residual)
    if kind == "l1":
        return torch.mean(torch.abs(residual))
    small = torch.clamp(residual.abs(), max=delta)
    return torch.mean(0.5 * small**2 + delta * (residual.abs() - small))


def fit_line(x, y, kind, steps=300, lr=0.05):
    a = torch.nn.Parameter(torch.zeros(1, dtype=x.dtype, device=x.device))
    b = torch.nn.Parameter(torch.zeros(1, dtype=x.dtype, device=x.device))
    opt = torch.optim.Adam([a, b], lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        regression_loss(a * x + b, y, kind).backward()
        opt.step()
    return float(a), float(b)
""",
    },
    {
        "name": "ex4_2 a match statement, Huber with torch.where and a mask, float32 parameters",
        "cell": "ex4_2_solution",
        "source": """
def regression_loss(pred: torch.Tensor, target: torch.Tensor, kind: str, delta: float = 1.0):
    r = pred - target
    match kind:
        case "mse":
            per_element = r.pow(2)
        case "l1":
            per_element = r.abs()
        case "huber":
            inside = r.abs() <= delta
            per_element = torch.where(inside, 0.5 * r * r, delta * r.abs() - 0.5 * delta**2)
        case _:
            raise ValueError(kind)
    return per_element.mean()


def fit_line(x, y, kind, steps=300, lr=0.05):
    a = torch.tensor(0.0, requires_grad=True)
    b = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.Adam([a, b], lr=lr)
    step = 0
    while step < steps:
        loss = regression_loss(a * x + b, y, kind)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        step += 1
    return a.item(), b.item()
""",
    },
]
RIGHT_ANSWERS += [
    # 4.3 ------------------------------------------------------------------------------
    {
        "name": "ex4_3 in-place updates on clones, PyTorch's own form of the Adam step",
        "cell": "ex4_3_solution",
        "source": """
def sgd_momentum_step(param, grad, buf, lr, momentum):
    new_buf = buf.clone().mul_(momentum).add_(grad)
    new_param = param.clone().add_(new_buf, alpha=-lr)
    return new_param, new_buf


def adam_step(param, grad, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
              decoupled=False):
    beta1, beta2 = betas
    param = param.clone()
    if weight_decay != 0:
        if decoupled:
            param.mul_(1 - lr * weight_decay)
        else:
            grad = grad.add(param, alpha=weight_decay)
    m = m.clone().mul_(beta1).add_(grad, alpha=1 - beta1)
    v = v.clone().mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    step_size = lr / (1 - beta1**t)
    denom = (v.sqrt() / math.sqrt(1 - beta2**t)).add_(eps)
    param.addcdiv_(m, denom, value=-step_size)
    return param, m, v
""",
    },
    {
        "name": "ex4_3 torch functions and lerp, the moments first",
        "cell": "ex4_3_solution",
        "source": """
def sgd_momentum_step(param, grad, buf, lr, momentum):
    buf = torch.add(grad, buf, alpha=momentum)
    return torch.sub(param, buf, alpha=lr), buf


def adam_step(param, grad, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
              decoupled=False):
    b1, b2 = betas
    g = grad if decoupled else grad + weight_decay * param
    new_m = torch.lerp(g, m, b1)  # b1 * m + (1 - b1) * g
    new_v = b2 * v + (1 - b2) * torch.square(g)
    m_hat = new_m / (1 - b1**t)
    v_hat = new_v / (1 - b2**t)
    w = param * (1 - lr * weight_decay) if decoupled else param
    return w - lr * m_hat / (torch.sqrt(v_hat) + eps), new_m, new_v
""",
    },
]
RIGHT_ANSWERS += [
    # 4.4 ------------------------------------------------------------------------------
    {
        "name": "ex4_4 the probe trains a deep copy of the model; lrs by torch.logspace (float64)",
        "cell": "ex4_4_solution",
        "source": """
def lr_range_test(model, inputs, targets, loss_fn, lr_min=1e-5, lr_max=10.0, num_steps=100,
                  diverge_factor=4.0):
    probe = copy.deepcopy(model)  # the caller's model is never touched
    schedule = torch.logspace(
        math.log10(lr_min), math.log10(lr_max), num_steps, dtype=torch.float64
    ).tolist()
    optimizer = torch.optim.SGD(probe.parameters(), lr=lr_min)
    lrs, losses = [], []
    for lr in schedule:
        for group in optimizer.param_groups:
            group["lr"] = lr
        loss = loss_fn(probe(inputs), targets)
        lrs.append(lr)
        losses.append(loss.item())
        if not math.isfinite(losses[-1]) or losses[-1] > diverge_factor * min(losses):
            break
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return lrs, losses


def suggest_lr(lrs, losses):
    finite = [loss for loss in losses if math.isfinite(loss)]
    return lrs[losses.index(min(finite))] / 10
""",
    },
    {
        "name": "ex4_4 a while loop, parameters saved and copied back by hand",
        "cell": "ex4_4_solution",
        "source": """
def lr_range_test(model, inputs, targets, loss_fn, lr_min=1e-5, lr_max=10.0, num_steps=100,
                  diverge_factor=4.0):
    saved = [p.detach().clone() for p in model.parameters()]
    opt = torch.optim.SGD(model.parameters(), lr=lr_min)
    lrs, losses = [], []
    smallest = float("inf")
    k = 0
    while k < num_steps:
        lr = math.exp(math.log(lr_min) + k / (num_steps - 1) * math.log(lr_max / lr_min))
        for group in opt.param_groups:
            group["lr"] = lr
        loss = loss_fn(model(inputs), targets)
        value = float(loss)
        lrs.append(lr)
        losses.append(value)
        smallest = min(smallest, value)
        if math.isnan(value) or math.isinf(value) or value > diverge_factor * smallest:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
        k += 1
    with torch.no_grad():
        for p, s in zip(model.parameters(), saved):
            p.copy_(s)
    return lrs, losses


def suggest_lr(lrs, losses):
    best_i, best = 0, float("inf")
    for i, loss in enumerate(losses):
        if loss < best:  # False for nan
            best_i, best = i, loss
    return lrs[best_i] / 10
""",
    },
]
RIGHT_ANSWERS += [
    # 4.5 ------------------------------------------------------------------------------
    {
        "name": "ex4_5 one Dropout module used twice, nn.CrossEntropyLoss, inference_mode, "
        "list.index",
        "cell": "ex4_5_solution",
        "source": """
def make_overfit_mlp(dropout=0.0, hidden=128, seed=0):
    torch.manual_seed(seed)
    drop = nn.Dropout(p=dropout)
    return nn.Sequential(
        nn.Linear(2, hidden), nn.ReLU(), drop, nn.Linear(hidden, hidden), nn.ReLU(), drop,
        nn.Linear(hidden, 2),
    )


def train_and_validate(model, x_train, y_train, x_val, y_val, epochs, lr, weight_decay=0.0):
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    train_losses, val_losses = [], []
    for epoch in range(epochs):
        model.train(True)
        optimizer.zero_grad(set_to_none=False)
        loss = criterion(model(x_train), y_train)
        loss.backward()
        optimizer.step()
        train_losses.append(loss.item())
        model.train(False)
        with torch.inference_mode():
            val_losses.append(criterion(model(x_val), y_val).item())
    return {"train": train_losses, "val": val_losses}


def overfitting_onset(val_losses):
    return val_losses.index(min(val_losses))
""",
    },
    {
        "name": "ex4_5 named layers, model.train() again after each validation, a loop for the "
        "minimum",
        "cell": "ex4_5_solution",
        "source": """
from collections import OrderedDict


def make_overfit_mlp(dropout=0.0, hidden=128, seed=0):
    torch.manual_seed(seed)
    layers = OrderedDict()
    layers["fc1"] = nn.Linear(2, hidden)
    layers["relu1"] = nn.ReLU()
    layers["drop1"] = nn.Dropout(dropout)
    layers["fc2"] = nn.Linear(hidden, hidden)
    layers["relu2"] = nn.ReLU()
    layers["drop2"] = nn.Dropout(dropout)
    layers["out"] = nn.Linear(hidden, 2)
    return nn.Sequential(layers)


def train_and_validate(model, x_train, y_train, x_val, y_val, epochs, lr, weight_decay=0.0):
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    history = {"train": [], "val": []}
    model.train()
    for _ in range(epochs):
        logits = model(x_train)
        loss = F.cross_entropy(logits, y_train)
        opt.zero_grad()
        loss.backward()
        opt.step()
        history["train"].append(float(loss))
        model.eval()
        with torch.set_grad_enabled(False):
            history["val"].append(float(F.cross_entropy(model(x_val), y_val)))
        model.train()  # ready for the next epoch
    return history


def overfitting_onset(val_losses):
    best = 0
    for i in range(1, len(val_losses)):
        if val_losses[i] < val_losses[best]:
            best = i
    return best
""",
    },
]
RIGHT_ANSWERS += [
    # 4.6 ------------------------------------------------------------------------------
    {
        "name": "ex4_6 perm.split, a call counter, nn.CrossEntropyLoss under inference_mode, "
        "batches by perm.split",
        "cell": "ex4_6_solution",
        "source": """
def split_indices(n, val_fraction, test_fraction, seed=0):
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    n_val, n_test = int(n * val_fraction), int(n * test_fraction)
    val_idx, test_idx, train_idx = perm.split([n_val, n_test, n - n_val - n_test])
    return train_idx.sort().values, val_idx, test_idx


class EarlyStopping:
    def __init__(self, patience):
        self.patience = patience
        self.best_loss = math.inf
        self.best_epoch = -1
        self.best_state = None
        self.num_bad_epochs = 0
        self.calls = 0

    def step(self, val_loss, model):
        epoch = self.calls
        self.calls += 1
        if val_loss < self.best_loss:
            self.best_loss, self.best_epoch = val_loss, epoch
            self.best_state = copy.deepcopy(model.state_dict())
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience


def evaluate(model, inputs, labels):
    model.eval()
    with torch.inference_mode():
        logits = model(inputs)
        loss = nn.CrossEntropyLoss()(logits, labels)
        correct = (logits.argmax(dim=-1) == labels).sum().item()
    return loss.item(), correct / len(labels)


def fit(model, data, epochs, lr, patience, batch_size=64, seed=0):
    (x, y), val = data["train"], data["val"]
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    stopper = EarlyStopping(patience)
    gen = torch.Generator().manual_seed(seed)
    train_loss, val_loss, lrs = [], [], []
    for epoch in range(epochs):
        lrs.append(optimizer.param_groups[0]["lr"])
        model.train()
        running = 0.0
        for idx in torch.randperm(len(x), generator=gen).split(batch_size):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            running += loss.item() * idx.numel()
        train_loss.append(running / len(x))
        val_loss.append(evaluate(model, *val)[0])
        scheduler.step()
        if stopper.step(val_loss[-1], model):
            break
    model.load_state_dict(stopper.best_state)
    test_loss, test_accuracy = evaluate(model, *data["test"])
    return {
        "train_loss": train_loss,
        "val_loss": val_loss,
        "lr": lrs,
        "best_epoch": stopper.best_epoch,
        "test_loss": test_loss,
        "test_accuracy": test_accuracy,
    }
""",
    },
    {
        "name": "ex4_6 the global generator seeded, tensors cloned into best_state, a no_grad "
        "decorator, get_last_lr, a while loop",
        "cell": "ex4_6_solution",
        "source": """
def split_indices(n, val_fraction, test_fraction, seed=0):
    torch.manual_seed(seed)  # the same permutation as a fresh generator with this seed
    perm = torch.randperm(n)
    a = int(n * val_fraction)
    b = a + int(n * test_fraction)
    return perm[b:], perm[:a], perm[a:b]


class EarlyStopping:
    def __init__(self, patience):
        self.patience = patience
        self.best_loss = math.inf
        self.best_epoch = -1
        self.best_state = None
        self.num_bad_epochs = 0
        self.history = []

    def step(self, val_loss, model):
        self.history.append(val_loss)
        if val_loss < self.best_loss:
            self.best_loss = val_loss
            self.best_epoch = len(self.history) - 1
            self.best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            self.num_bad_epochs = 0
            return self.patience <= 0
        self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience


@torch.no_grad()
def evaluate(model, inputs, labels):
    model.eval()
    logits = model(inputs)
    accuracy = (logits.argmax(1) == labels).float().mean()
    return F.cross_entropy(logits, labels).item(), accuracy.item()


def fit(model, data, epochs, lr, patience, batch_size=64, seed=0):
    x_train, y_train = data["train"]
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    stopper = EarlyStopping(patience)
    gen = torch.Generator().manual_seed(seed)
    history = {"train_loss": [], "val_loss": [], "lr": []}
    n = x_train.shape[0]
    for _ in range(epochs):
        history["lr"].append(scheduler.get_last_lr()[0])
        model.train()
        order = torch.randperm(n, generator=gen)
        start, total = 0, 0.0
        while start < n:
            idx = order[start : start + batch_size]
            logits = model(x_train[idx])
            loss = F.cross_entropy(logits, y_train[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += float(loss) * len(idx)
            start += batch_size
        history["train_loss"].append(total / n)
        val_loss, _ = evaluate(model, *data["val"])
        history["val_loss"].append(val_loss)
        scheduler.step()
        stop = stopper.step(val_loss, model)
        if stop:
            break
    model.load_state_dict(stopper.best_state)
    history["best_epoch"] = stopper.best_epoch
    history["test_loss"], history["test_accuracy"] = evaluate(model, *data["test"])
    return history
""",
    },
]
RIGHT_ANSWERS += [
    # 4.7 ------------------------------------------------------------------------------
    {
        "name": "ex4_7 Adam's own default rate (1e-3), the loss detached and summed as a tensor, "
        "inference_mode, zero_grad after the step",
        "cell": "ex4_7_solution",
        "source": """
def make_classifier(in_features, n_classes):
    # (a) the Softmax is gone: CrossEntropyLoss wants logits
    layers = [nn.Linear(in_features, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, n_classes)]
    return nn.Sequential(*layers)


def train_classifier(model, X_train, y_train, X_val, y_val, epochs=30, lr=None, batch_size=64):
    criterion = nn.CrossEntropyLoss()
    if lr is None:  # (e) Adam's default, 1e-3, instead of 10
        optimizer = torch.optim.Adam(model.parameters())
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"train_loss": [], "val_loss": [], "val_accuracy": []}
    for epoch in range(epochs):
        model.train()  # (c)
        total = torch.zeros(())
        for start in range(0, len(X_train), batch_size):
            xb, yb = X_train[start : start + batch_size], y_train[start : start + batch_size]
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=False)  # (b)
            total += loss.detach().cpu() * len(xb)  # (d) no graph kept
        history["train_loss"].append((total / len(X_train)).item())  # (d)
        model.eval()  # (c)
        with torch.inference_mode():
            output = model(X_val)
            history["val_loss"].append(criterion(output, y_val).item())
            history["val_accuracy"].append((output.argmax(dim=1) == y_val).float().mean().item())
    return history
""",
    },
    {
        "name": "ex4_7 named layers, lr 0.05, F.cross_entropy, model.train() before every batch, "
        "counted accuracy",
        "cell": "ex4_7_solution",
        "source": """
from collections import OrderedDict


def make_classifier(in_features, n_classes):
    return nn.Sequential(
        OrderedDict(
            hidden=nn.Linear(in_features, 64),
            act=nn.ReLU(),
            drop=nn.Dropout(0.2),
            logits=nn.Linear(64, n_classes),
        )
    )


def train_classifier(model, X_train, y_train, X_val, y_val, epochs=30, lr=None, batch_size=64):
    if lr is None:
        lr = 0.05
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"train_loss": [], "val_loss": [], "val_accuracy": []}
    n = X_train.shape[0]
    for epoch in range(epochs):
        seen, loss_sum = 0, 0.0
        while seen < n:
            model.train()
            xb = X_train[seen : seen + batch_size]
            yb = y_train[seen : seen + batch_size]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(xb), yb, reduction="sum")
            (loss / len(xb)).backward()
            optimizer.step()
            loss_sum += loss.item()
            seen += len(xb)
        history["train_loss"].append(loss_sum / n)
        model.eval()
        with torch.no_grad():
            logits = model(X_val)
            history["val_loss"].append(F.cross_entropy(logits, y_val).item())
            correct = (logits.argmax(dim=1) == y_val).sum().item()
            history["val_accuracy"].append(correct / len(y_val))
    return history
""",
    },
]
RIGHT_ANSWERS += [
    # third answers: other numerics that the number-for-number comparisons must accept --------
    {
        "name": "ex4_1 layers added one by one, the batch loss summed then divided, a tensor total",
        "cell": "ex4_1_solution",
        "source": """
def make_sine_mlp():
    model = nn.Sequential()
    model.append(nn.Linear(1, 50))
    model.append(nn.ReLU())
    model.append(nn.Linear(50, 50))
    model.append(nn.ReLU())
    model.append(nn.Linear(50, 1))
    return model


def train_regressor(model, x, y, epochs, batch_size, lr, seed=0):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(epochs):
        model.train()
        total = torch.zeros(())
        perm = torch.randperm(len(x), generator=gen)
        for i in range(0, len(x), batch_size):
            batch = perm[i : i + batch_size]
            optimizer.zero_grad()
            loss = F.mse_loss(model(x[batch]), y[batch], reduction="sum") / len(batch)
            loss.backward()
            optimizer.step()
            total += loss.detach().cpu() * len(batch)
        losses.append(total.item() / len(x))
    return losses
""",
    },
    {
        "name": "ex4_2 the losses in a dict of functions, float64 parameters whatever the data",
        "cell": "ex4_2_solution",
        "source": """
LOSSES = {
    "mse": lambda r, d: r.square(),
    "l1": lambda r, d: r.abs(),
    "huber": lambda r, d: torch.where(r.abs() <= d, r.square() / 2, d * r.abs() - d * d / 2),
}


def regression_loss(pred, target, kind, delta=1.0):
    if kind not in LOSSES:
        raise ValueError(f"kind must be one of {sorted(LOSSES)}, not {kind!r}")
    return LOSSES[kind](pred - target, delta).mean()


def fit_line(x, y, kind, steps=300, lr=0.05):
    params = [torch.zeros((), dtype=torch.float64, requires_grad=True) for _ in range(2)]
    optimizer = torch.optim.Adam(params, lr=lr)
    a, b = params
    for _ in range(steps):
        optimizer.zero_grad()
        regression_loss(a * x + b, y, kind).backward()
        optimizer.step()
    return float(a), float(b)
""",
    },
    {
        "name": "ex4_4 the rate through exp and log, the state restored from a copy of the copy",
        "cell": "ex4_4_solution",
        "source": """
def lr_range_test(model, inputs, targets, loss_fn, lr_min=1e-5, lr_max=10.0, num_steps=100,
                  diverge_factor=4.0):
    saved = copy.deepcopy(model.state_dict())
    optimizer = torch.optim.SGD(model.parameters(), lr=lr_min)
    ratio = math.log(lr_max / lr_min)
    lrs, losses = [], []
    for k in range(num_steps):
        lr = lr_min * math.exp(ratio * k / (num_steps - 1))
        for group in optimizer.param_groups:
            group["lr"] = lr
        loss = loss_fn(model(inputs), targets)
        lrs.append(lr)
        losses.append(loss.item())
        diverged = not math.isfinite(losses[-1]) or losses[-1] > diverge_factor * min(losses)
        if diverged:
            break
        model.zero_grad()
        loss.backward()
        optimizer.step()
    model.load_state_dict(copy.deepcopy(saved))
    return lrs, losses


def suggest_lr(lrs, losses):
    values = torch.tensor(losses, dtype=torch.float64).nan_to_num(nan=math.inf)
    return lrs[int(values.argmin())] / 10
""",
    },
    {
        "name": "ex4_5 a reduction='mean' loss module, zero_grad after the step, argmin().item()",
        "cell": "ex4_5_solution",
        "source": """
def make_overfit_mlp(dropout=0.0, hidden=128, seed=0):
    torch.manual_seed(seed)
    block = lambda n_in: [nn.Linear(n_in, hidden), nn.ReLU(), nn.Dropout(dropout)]  # noqa: E731
    return nn.Sequential(*block(2), *block(hidden), nn.Linear(hidden, 2))


def train_and_validate(model, x_train, y_train, x_val, y_val, epochs, lr, weight_decay=0.0):
    loss_fn = nn.CrossEntropyLoss(reduction="mean")
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    train, val = [], []
    for _ in range(epochs):
        model.train()
        loss = loss_fn(model(x_train), y_train)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        train.append(loss.item())
        model.eval()
        with torch.no_grad():
            val.append(loss_fn(model(x_val), y_val).item())
    return {"train": train, "val": val}


def overfitting_onset(val_losses):
    return torch.tensor(val_losses).argmin().item()
""",
    },
    {
        "name": "ex4_6 index_select, a deep copy of the whole model's state, a summed loss divided",
        "cell": "ex4_6_solution",
        "source": """
def split_indices(n, val_fraction, test_fraction, seed=0):
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    n_val, n_test = int(n * val_fraction), int(n * test_fraction)
    pick = lambda a, b: perm.index_select(0, torch.arange(a, b))  # noqa: E731
    return pick(n_val + n_test, n), pick(0, n_val), pick(n_val, n_val + n_test)


class EarlyStopping:
    def __init__(self, patience):
        self.patience = patience
        self.best_loss, self.best_epoch = math.inf, -1
        self.best_state, self.num_bad_epochs = None, 0
        self.epoch = -1

    def step(self, val_loss, model):
        self.epoch += 1
        improved = val_loss < self.best_loss
        if improved:
            self.best_loss, self.best_epoch = val_loss, self.epoch
            self.best_state = copy.deepcopy(model).state_dict()
        self.num_bad_epochs = 0 if improved else self.num_bad_epochs + 1
        return bool(self.num_bad_epochs >= self.patience)


def evaluate(model, inputs, labels):
    model.eval()
    with torch.no_grad():
        logits = model(inputs)
        loss = F.cross_entropy(logits, labels, reduction="sum") / len(labels)
        accuracy = logits.argmax(dim=1).eq(labels).double().mean()
    return float(loss), float(accuracy)


def fit(model, data, epochs, lr, patience, batch_size=64, seed=0):
    x_train, y_train = data["train"]
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    stopper = EarlyStopping(patience)
    gen = torch.Generator().manual_seed(seed)
    out = {"train_loss": [], "val_loss": [], "lr": []}
    for epoch in range(epochs):
        out["lr"].append(optimizer.param_groups[0]["lr"])
        model.train()
        perm = torch.randperm(len(x_train), generator=gen)
        seen, total = 0, 0.0
        for idx in perm.split(batch_size):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
            seen += len(idx)
        out["train_loss"].append(total / seen)
        out["val_loss"].append(evaluate(model, *data["val"])[0])
        scheduler.step()
        if stopper.step(out["val_loss"][-1], model):
            break
    model.load_state_dict(stopper.best_state)
    out["best_epoch"] = stopper.best_epoch
    out["test_loss"], out["test_accuracy"] = evaluate(model, *data["test"])
    return out
""",
    },
    {
        "name": "ex4_7 the largest rate allowed (0.1), batch sizes from xb.size(0), set_grad_enabled",
        "cell": "ex4_7_solution",
        "source": """
def make_classifier(in_features, n_classes):
    return nn.Sequential(
        nn.Linear(in_features, 64), nn.ReLU(), nn.Dropout(p=0.2), nn.Linear(64, n_classes)
    )


def train_classifier(model, X_train, y_train, X_val, y_val, epochs=30, lr=None, batch_size=64):
    lr = 0.1 if lr is None else lr  # (e)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"train_loss": [], "val_loss": [], "val_accuracy": []}
    for epoch in range(epochs):
        model.train()  # (c)
        running_loss = 0.0
        for start in range(0, len(X_train), batch_size):
            xb, yb = X_train[start : start + batch_size], y_train[start : start + batch_size]
            optimizer.zero_grad()  # (b)
            output = model(xb)  # (a) logits
            loss = criterion(output, yb)
            loss.backward()
            optimizer.step()
            running_loss += loss.item() * xb.size(0)  # (d)
        history["train_loss"].append(running_loss / len(X_train))
        model.eval()  # (c)
        with torch.set_grad_enabled(False):
            output = model(X_val)
            history["val_loss"].append(criterion(output, y_val).item())
            accuracy = (output.argmax(dim=1) == y_val).float().mean().item()
            history["val_accuracy"].append(accuracy)
    return history
""",
    },
]
