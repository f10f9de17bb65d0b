"""Plausible wrong answers to the Chapter 5 exercises: tests of the tests.

Each entry replaces one solution cell of ``solutions/ch05/ch05_exercises.ipynb`` with what a
student might submit: the same functions, one of them with a plausible mistake. Grading the
notebook with that cell must make exactly the test cells in ``fails`` lose their points,
while every other test cell keeps them.

The cells are put together from the correct definitions below, with one definition replaced,
so that each entry shows only its mistake.
"""

from __future__ import annotations

# The correct definitions of each solution cell, as a student would write them.
_CORRECT: dict[str, dict[str, str]] = {
    "ex5_1_solution": {
        "LinearDataset": """
class LinearDataset(Dataset):

    def __init__(self, n_samples: int = 1000, noise_std: float = 0.1, seed: int = 0) -> None:
        generator = torch.Generator().manual_seed(seed)
        self.X = torch.randn(n_samples, 2, generator=generator)
        noise = noise_std * torch.randn(n_samples, 1, generator=generator)
        self.y = 2 * self.X[:, :1] + 3 * self.X[:, 1:] + noise

    def __len__(self) -> int:
        return len(self.X)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.X[index], self.y[index]
""",
        "make_loader": """
def make_loader(dataset: Dataset, batch_size: int = 32, seed: int = 0) -> DataLoader:
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, generator=generator)
""",
    },
    "ex5_2_solution": {
        "stratified_split": """
def stratified_split(
    labels: torch.Tensor,
    fractions: tuple[float, float, float] = (0.7, 0.15, 0.15),
    seed: int = 0,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    parts: list[list[torch.Tensor]] = [[], [], []]
    for c in labels.unique():
        members = torch.nonzero(labels == c).flatten().cpu()
        members = members[torch.randperm(len(members), generator=generator)]
        n_train = round(fractions[0] * len(members))
        n_val = round(fractions[1] * len(members))
        parts[0].append(members[:n_train])
        parts[1].append(members[n_train : n_train + n_val])
        parts[2].append(members[n_train + n_val :])
    return tuple(torch.cat(p).sort().values for p in parts)
""",
        "split_loaders": """
def split_loaders(
    dataset: Dataset,
    splits: tuple[torch.Tensor, torch.Tensor, torch.Tensor],
    batch_size: int = 32,
    seed: int = 0,
) -> tuple[DataLoader, DataLoader, DataLoader]:
    train, val, test = (Subset(dataset, idx.tolist()) for idx in splits)
    generator = torch.Generator().manual_seed(seed)
    return (
        DataLoader(train, batch_size=batch_size, shuffle=True, generator=generator),
        DataLoader(val, batch_size=batch_size, shuffle=False),
        DataLoader(test, batch_size=batch_size, shuffle=False),
    )
""",
    },
    "ex5_3_solution": {
        "make_windows": """
def make_windows(
    series: torch.Tensor, window: int, horizon: int, stride: int = 1
) -> tuple[torch.Tensor, torch.Tensor]:
    blocks = series.unfold(0, window + horizon, stride)  # (N, [D,] w + h)
    blocks = blocks.movedim(-1, 1)  # (N, w + h[, D])
    return blocks[:, :window], blocks[:, window:]
""",
        "TimeSeriesDataset": """
class TimeSeriesDataset(Dataset):

    def __init__(self, series: torch.Tensor, window: int, horizon: int, stride: int = 1) -> None:
        self.series = series
        self.window, self.horizon, self.stride = window, horizon, stride

    def __len__(self) -> int:
        return max(0, (len(self.series) - self.window - self.horizon) // self.stride + 1)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"window index out of range for {n} windows")
        start = index * self.stride
        end = start + self.window
        return self.series[start:end], self.series[end : end + self.horizon]
""",
        "temporal_split": """
def temporal_split(
    n_windows: int, window: int, horizon: int, train_fraction: float, stride: int = 1
) -> tuple[torch.Tensor, torch.Tensor]:
    n_train = int(train_fraction * n_windows)
    if n_train == 0:
        return torch.arange(0), torch.arange(n_windows)
    first_free = (n_train - 1) * stride + window + horizon  # first sample after the last target
    first_test = -(-first_free // stride)  # ceil division
    return torch.arange(n_train), torch.arange(first_test, max(first_test, n_windows))
""",
    },
    "ex5_4_solution": {
        "Standardizer": """
class Standardizer:

    mean: torch.Tensor
    std: torch.Tensor

    def fit(self, X: torch.Tensor) -> "Standardizer":
        self.mean = X.mean(dim=0)
        std = X.std(dim=0)
        self.std = torch.where(std > 0, std, torch.ones_like(std))
        return self

    def transform(self, X: torch.Tensor) -> torch.Tensor:
        return (X - self.mean) / self.std

    def inverse_transform(self, Z: torch.Tensor) -> torch.Tensor:
        return Z * self.std + self.mean
""",
        "standardize_splits": """
def standardize_splits(
    X_train: torch.Tensor, X_val: torch.Tensor, X_test: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, Standardizer]:
    scaler = Standardizer().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_val), scaler.transform(X_test), scaler
""",
    },
    "ex5_5_solution": {
        "add_gaussian_noise": """
def add_gaussian_noise(image: torch.Tensor, std: float, generator: torch.Generator) -> torch.Tensor:
    noise = torch.randn(image.shape, generator=generator, dtype=image.dtype).to(image.device)
    return (image + std * noise).clamp(0.0, 1.0)
""",
        "random_shift": """
def random_shift(image: torch.Tensor, max_shift: int, generator: torch.Generator) -> torch.Tensor:
    dy, dx = torch.randint(-max_shift, max_shift + 1, (2,), generator=generator).tolist()
    out = torch.zeros_like(image)
    H, W = image.shape[-2:]
    if abs(dy) >= H or abs(dx) >= W:
        return out
    out[:, max(dy, 0) : H + min(dy, 0), max(dx, 0) : W + min(dx, 0)] = image[
        :, max(-dy, 0) : H + min(-dy, 0), max(-dx, 0) : W + min(-dx, 0)
    ]
    return out
""",
        "random_intensity_scale": """
def random_intensity_scale(
    image: torch.Tensor, low: float, high: float, generator: torch.Generator
) -> torch.Tensor:
    factor = low + (high - low) * torch.rand((), generator=generator).item()
    return (image * factor).clamp(0.0, 1.0)
""",
        "make_augmentation": """
def make_augmentation(
    noise_std: float = 0.05,
    max_shift: int = 1,
    scale_range: tuple[float, float] = (0.9, 1.1),
    seed: int = 0,
) -> Callable[[torch.Tensor], torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)

    def augment(image: torch.Tensor) -> torch.Tensor:
        image = random_shift(image, max_shift, generator)
        image = random_intensity_scale(image, scale_range[0], scale_range[1], generator)
        return add_gaussian_noise(image, noise_std, generator)

    return augment
""",
        "AugmentedDigits": """
class AugmentedDigits(Dataset):

    def __init__(
        self,
        images: torch.Tensor,
        labels: torch.Tensor,
        transform: Callable[[torch.Tensor], torch.Tensor] | None = None,
    ) -> None:
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        image = self.images[index]
        if self.transform is not None:
            image = self.transform(image)
        return image, self.labels[index]
""",
    },
    "ex5_6_solution": {
        "pad_collate": """
def pad_collate(
    batch: list[tuple[torch.Tensor, int | torch.Tensor]],
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    sequences = [sequence for sequence, _ in batch]
    labels = torch.tensor([int(label) for _, label in batch], dtype=torch.int64)
    lengths = torch.tensor([len(sequence) for sequence in sequences], dtype=torch.int64)
    padded = pad_sequence(sequences, batch_first=True, padding_value=0.0)
    return padded, lengths, labels
""",
        "length_mask": """
def length_mask(lengths: torch.Tensor, max_len: int | None = None) -> torch.Tensor:
    if max_len is None:
        max_len = int(lengths.max())
    return torch.arange(max_len, device=lengths.device) < lengths.unsqueeze(1)
""",
        "masked_mean": """
def masked_mean(padded: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    lengths = lengths.to(padded.device)
    mask = length_mask(lengths, padded.shape[1]).unsqueeze(-1).to(padded.dtype)
    return (padded * mask).sum(dim=1) / lengths.unsqueeze(1).to(padded.dtype)
""",
        "GRUClassifier": """
class GRUClassifier(nn.Module):

    def __init__(self, input_size: int, hidden_size: int, n_classes: int) -> None:
        super().__init__()
        self.gru = nn.GRU(input_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, padded: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        packed = pack_padded_sequence(padded, lengths.cpu(), batch_first=True, enforce_sorted=False)
        _, h_n = self.gru(packed)  # (1, B, hidden), in the original batch order
        return self.head(h_n[-1])
""",
    },
    "ex5_7_solution": {
        "load_csv": """
def load_csv(path) -> tuple[torch.Tensor, torch.Tensor]:
    with open(path, newline="") as handle:
        reader = csv.reader(handle)
        next(reader)  # the header
        rows = [row for row in reader if row]
    X = torch.tensor([[float(value) for value in row[:-1]] for row in rows], dtype=torch.float32)
    y = torch.tensor([int(row[-1]) for row in rows], dtype=torch.int64)
    return X, y
""",
        "save_stats": """
def save_stats(path, mean: torch.Tensor, std: torch.Tensor) -> None:
    torch.save({"mean": mean, "std": std}, path)
""",
        "load_stats": """
def load_stats(path) -> tuple[torch.Tensor, torch.Tensor]:
    stats = torch.load(path, weights_only=True)
    return stats["mean"], stats["std"]
""",
        "build_pipeline": """
def build_pipeline(
    csv_path,
    batch_size: int = 32,
    fractions: tuple[float, float, float] = (0.7, 0.15, 0.15),
    seed: int = 0,
    train_noise_std: float = 0.0,
    num_workers: int = 0,
) -> dict:

    class NoisyRows(Dataset):

        def __init__(self, X: torch.Tensor, y: torch.Tensor, noise_std: float) -> None:
            self.X, self.y, self.noise_std = X, y, noise_std

        def __len__(self) -> int:
            return len(self.y)

        def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
            x = self.X[index]
            if self.noise_std > 0:
                x = x + self.noise_std * torch.randn_like(x)
            return x, self.y[index]

    X, y = load_csv(csv_path)
    train, val, test = stratified_split(y, fractions, seed=seed)
    scaler = Standardizer().fit(X[train])
    Z = scaler.transform(X)
    pin = torch.cuda.is_available()
    generator = torch.Generator().manual_seed(seed)
    loaders = {
        "train": DataLoader(
            NoisyRows(Z[train], y[train], train_noise_std),
            batch_size=batch_size,
            shuffle=True,
            generator=generator,
            num_workers=num_workers,
            pin_memory=pin,
        ),
    }
    for name, indices in [("val", val), ("test", test)]:
        loaders[name] = DataLoader(
            TensorDataset(Z[indices], y[indices]),
            batch_size=batch_size,
            shuffle=False,
            num_workers=num_workers,
            pin_memory=pin,
        )
    return {"splits": (train, val, test), "mean": scaler.mean, "std": scaler.std, **loaders}
""",
    },
}


def _cell(cell: str, **replacements: str) -> str:
    """The source of solution cell ``cell`` with the named definitions replaced."""
    definitions = dict(_CORRECT[cell])
    unknown = set(replacements) - set(definitions)
    if unknown:
        raise KeyError(f"{cell} has no definition {sorted(unknown)}")
    definitions.update(replacements)
    return "\n\n\n".join(source.strip("\n") for source in definitions.values()) + "\n"


def _wrong(name: str, cell: str, **replacements: str) -> dict:
    test_cell = cell.replace("_solution", "_tests")
    return {"name": name, "cell": cell, "source": _cell(cell, **replacements), "fails": [test_cell]}


WRONG_ANSWERS: list[dict] = [
    # 5.1 ------------------------------------------------------------------------------
    _wrong(
        "ex5_1 targets of shape (n,) instead of (n, 1)",
        "ex5_1_solution",
        LinearDataset="""
class LinearDataset(Dataset):

    def __init__(self, n_samples: int = 1000, noise_std: float = 0.1, seed: int = 0) -> None:
        generator = torch.Generator().manual_seed(seed)
        self.X = torch.randn(n_samples, 2, generator=generator)
        noise = noise_std * torch.randn(n_samples, 1, generator=generator)
        self.y = 2 * self.X[:, 0] + 3 * self.X[:, 1] + noise.squeeze(1)

    def __len__(self) -> int:
        return len(self.X)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.X[index], self.y[index]
""",
    ),
    _wrong(
        "ex5_1 shuffling without a seeded generator (the seed is ignored)",
        "ex5_1_solution",
        make_loader="""
def make_loader(dataset: Dataset, batch_size: int = 32, seed: int = 0) -> DataLoader:
    return DataLoader(dataset, batch_size=batch_size, shuffle=True)
""",
    ),
    # 5.2 ------------------------------------------------------------------------------
    _wrong(
        "ex5_2 a random split that ignores the classes",
        "ex5_2_solution",
        stratified_split="""
def stratified_split(labels, fractions=(0.7, 0.15, 0.15), seed=0):
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(labels), generator=generator)
    n_train = round(fractions[0] * len(labels))
    n_val = round(fractions[1] * len(labels))
    parts = order[:n_train], order[n_train : n_train + n_val], order[n_train + n_val :]
    return tuple(p.sort().values for p in parts)
""",
    ),
    _wrong(
        "ex5_2 stratified but not random (the first samples of each class train)",
        "ex5_2_solution",
        stratified_split="""
def stratified_split(
    labels: torch.Tensor,
    fractions: tuple[float, float, float] = (0.7, 0.15, 0.15),
    seed: int = 0,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    parts: list[list[torch.Tensor]] = [[], [], []]
    for c in labels.unique():
        members = torch.nonzero(labels == c).flatten().cpu()
        n_train = round(fractions[0] * len(members))
        n_val = round(fractions[1] * len(members))
        parts[0].append(members[:n_train])
        parts[1].append(members[n_train : n_train + n_val])
        parts[2].append(members[n_train + n_val :])
    return tuple(torch.cat(p).sort().values for p in parts)
""",
    ),
    # 5.3 ------------------------------------------------------------------------------
    _wrong(
        "ex5_3 one window too few (len is T - w - h)",
        "ex5_3_solution",
        TimeSeriesDataset="""
class TimeSeriesDataset(Dataset):

    def __init__(self, series: torch.Tensor, window: int, horizon: int, stride: int = 1) -> None:
        self.series = series
        self.window, self.horizon, self.stride = window, horizon, stride

    def __len__(self) -> int:
        return max(0, (len(self.series) - self.window - self.horizon) // self.stride)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"window index out of range for {n} windows")
        start = index * self.stride
        end = start + self.window
        return self.series[start:end], self.series[end : end + self.horizon]
""",
    ),
    _wrong(
        "ex5_3 temporal split without a gap (test windows overlap the training targets)",
        "ex5_3_solution",
        temporal_split="""
def temporal_split(n_windows, window, horizon, train_fraction, stride=1):
    n_train = int(train_fraction * n_windows)
    return torch.arange(n_train), torch.arange(n_train, n_windows)
""",
    ),
    # 5.4 ------------------------------------------------------------------------------
    _wrong(
        "ex5_4 statistics fitted on all the data (leakage)",
        "ex5_4_solution",
        standardize_splits="""
def standardize_splits(X_train, X_val, X_test):
    scaler = Standardizer().fit(torch.cat([X_train, X_val, X_test]))
    return scaler.transform(X_train), scaler.transform(X_val), scaler.transform(X_test), scaler
""",
    ),
    _wrong(
        "ex5_4 a constant feature divides by zero (NaN)",
        "ex5_4_solution",
        Standardizer="""
class Standardizer:

    mean: torch.Tensor
    std: torch.Tensor

    def fit(self, X: torch.Tensor) -> "Standardizer":
        self.mean = X.mean(dim=0)
        std = X.std(dim=0)
        self.std = std
        return self

    def transform(self, X: torch.Tensor) -> torch.Tensor:
        return (X - self.mean) / self.std

    def inverse_transform(self, Z: torch.Tensor) -> torch.Tensor:
        return Z * self.std + self.mean
""",
    ),
    # 5.5 ------------------------------------------------------------------------------
    _wrong(
        "ex5_5 shift with torch.roll (wraps around instead of zero-filling)",
        "ex5_5_solution",
        random_shift="""
def random_shift(image, max_shift, generator):
    dy, dx = torch.randint(-max_shift, max_shift + 1, (2,), generator=generator).tolist()
    return torch.roll(image, shifts=(dy, dx), dims=(-2, -1))
""",
    ),
    _wrong(
        "ex5_5 noise from the global generator (randn_like), not the given one",
        "ex5_5_solution",
        add_gaussian_noise="""
def add_gaussian_noise(image, std, generator):
    return (image + std * torch.randn_like(image)).clamp(0.0, 1.0)
""",
    ),
    # 5.6 ------------------------------------------------------------------------------
    _wrong(
        "ex5_6 GRU run over the padding (no packing, last time step)",
        "ex5_6_solution",
        GRUClassifier="""
class GRUClassifier(nn.Module):

    def __init__(self, input_size: int, hidden_size: int, n_classes: int) -> None:
        super().__init__()
        self.gru = nn.GRU(input_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, padded: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        _, h_n = self.gru(padded)
        return self.head(h_n[-1])
""",
    ),
    _wrong(
        "ex5_6 pack_padded_sequence without enforce_sorted=False (batch not sorted)",
        "ex5_6_solution",
        GRUClassifier="""
class GRUClassifier(nn.Module):

    def __init__(self, input_size: int, hidden_size: int, n_classes: int) -> None:
        super().__init__()
        self.gru = nn.GRU(input_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, padded: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        packed = pack_padded_sequence(padded, lengths.cpu(), batch_first=True, enforce_sorted=True)
        _, h_n = self.gru(packed)  # (1, B, hidden), in the original batch order
        return self.head(h_n[-1])
""",
    ),
    # 5.7 ------------------------------------------------------------------------------
    _wrong(
        "ex5_7 standardised with the statistics of all rows (leakage)",
        "ex5_7_solution",
        build_pipeline="""
def build_pipeline(
    csv_path,
    batch_size: int = 32,
    fractions: tuple[float, float, float] = (0.7, 0.15, 0.15),
    seed: int = 0,
    train_noise_std: float = 0.0,
    num_workers: int = 0,
) -> dict:

    class NoisyRows(Dataset):

        def __init__(self, X: torch.Tensor, y: torch.Tensor, noise_std: float) -> None:
            self.X, self.y, self.noise_std = X, y, noise_std

        def __len__(self) -> int:
            return len(self.y)

        def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
            x = self.X[index]
            if self.noise_std > 0:
                x = x + self.noise_std * torch.randn_like(x)
            return x, self.y[index]

    X, y = load_csv(csv_path)
    train, val, test = stratified_split(y, fractions, seed=seed)
    scaler = Standardizer().fit(X)
    Z = scaler.transform(X)
    pin = torch.cuda.is_available()
    generator = torch.Generator().manual_seed(seed)
    loaders = {
        "train": DataLoader(
            NoisyRows(Z[train], y[train], train_noise_std),
            batch_size=batch_size,
            shuffle=True,
            generator=generator,
            num_workers=num_workers,
            pin_memory=pin,
        ),
    }
    for name, indices in [("val", val), ("test", test)]:
        loaders[name] = DataLoader(
            TensorDataset(Z[indices], y[indices]),
            batch_size=batch_size,
            shuffle=False,
            num_workers=num_workers,
            pin_memory=pin,
        )
    return {"splits": (train, val, test), "mean": scaler.mean, "std": scaler.std, **loaders}
""",
    ),
    _wrong(
        "ex5_7 training noise drawn once, not at every access",
        "ex5_7_solution",
        build_pipeline="""
def build_pipeline(
    csv_path,
    batch_size: int = 32,
    fractions: tuple[float, float, float] = (0.7, 0.15, 0.15),
    seed: int = 0,
    train_noise_std: float = 0.0,
    num_workers: int = 0,
) -> dict:

    class NoisyRows(Dataset):

        def __init__(self, X: torch.Tensor, y: torch.Tensor, noise_std: float) -> None:
            self.X, self.y, self.noise_std = X + noise_std * torch.randn_like(X), y, 0.0

        def __len__(self) -> int:
            return len(self.y)

        def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
            x = self.X[index]
            if self.noise_std > 0:
                x = x + self.noise_std * torch.randn_like(x)
            return x, self.y[index]

    X, y = load_csv(csv_path)
    train, val, test = stratified_split(y, fractions, seed=seed)
    scaler = Standardizer().fit(X[train])
    Z = scaler.transform(X)
    pin = torch.cuda.is_available()
    generator = torch.Generator().manual_seed(seed)
    loaders = {
        "train": DataLoader(
            NoisyRows(Z[train], y[train], train_noise_std),
            batch_size=batch_size,
            shuffle=True,
            generator=generator,
            num_workers=num_workers,
            pin_memory=pin,
        ),
    }
    for name, indices in [("val", val), ("test", test)]:
        loaders[name] = DataLoader(
            TensorDataset(Z[indices], y[indices]),
            batch_size=batch_size,
            shuffle=False,
            num_workers=num_workers,
            pin_memory=pin,
        )
    return {"splits": (train, val, test), "mean": scaler.mean, "std": scaler.std, **loaders}
""",
    ),
]
