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


def _edit(cell: str, definition: str, *edits: tuple[str, str]) -> str:
    """The correct ``definition`` of ``cell`` with ``(old, new)`` edits, each old text once."""
    source = _CORRECT[cell][definition]
    for old, new in edits:
        if source.count(old) != 1:
            raise ValueError(f"{definition}: {old!r} occurs {source.count(old)} times")
        source = source.replace(old, new)
    return source


def _wrong(name: str, cell: str, breaks: list[str], fails: list[str], **replacements: str) -> dict:
    """A wrong answer: ``cell`` with the named definitions replaced. It breaks the clauses
    ``breaks``, so the test cells ``fails`` must fail on one of them, and every other test cell
    it reaches must pass."""
    return {
        "name": name,
        "cell": cell,
        "source": _cell(cell, **replacements),
        "fails": fails,
        "breaks": breaks,
    }


WRONG_ANSWERS: list[dict] = [
    # 5.1 ------------------------------------------------------------------------------
    _wrong(
        "ex5_1 targets of shape (n,) instead of (n, 1)",
        "ex5_1_solution",
        ["data"],
        ["ex5_1_tests_dataset"],
        LinearDataset=_edit(
            "ex5_1_solution",
            "LinearDataset",
            (
                "self.y = 2 * self.X[:, :1] + 3 * self.X[:, 1:] + noise",
                "self.y = 2 * self.X[:, 0] + 3 * self.X[:, 1] + noise.squeeze(1)",
            ),
        ),
    ),
    _wrong(
        "ex5_1 the noise drawn before the inputs",
        "ex5_1_solution",
        ["data"],
        ["ex5_1_tests_dataset"],
        LinearDataset=_edit(
            "ex5_1_solution",
            "LinearDataset",
            (
                "        self.X = torch.randn(n_samples, 2, generator=generator)\n"
                "        noise = noise_std * torch.randn(n_samples, 1, generator=generator)\n",
                "        noise = noise_std * torch.randn(n_samples, 1, generator=generator)\n"
                "        self.X = torch.randn(n_samples, 2, generator=generator)\n",
            ),
        ),
    ),
    _wrong(
        "ex5_1 len is the number of features (shape[-1] for shape[0])",
        "ex5_1_solution",
        ["len"],
        ["ex5_1_tests_dataset"],
        LinearDataset=_edit(
            "ex5_1_solution", "LinearDataset", ("return len(self.X)", "return self.X.shape[-1]")
        ),
    ),
    _wrong(
        "ex5_1 the target returned as a number (.item())",
        "ex5_1_solution",
        ["items"],
        ["ex5_1_tests_dataset"],
        LinearDataset=_edit(
            "ex5_1_solution",
            "LinearDataset",
            ("return self.X[index], self.y[index]", "return self.X[index], self.y[index].item()"),
        ),
    ),
    _wrong(
        "ex5_1 targets computed in float64 and left so",
        "ex5_1_solution",
        ["data"],
        ["ex5_1_tests_dataset"],
        LinearDataset=_edit(
            "ex5_1_solution",
            "LinearDataset",
            (
                "self.y = 2 * self.X[:, :1] + 3 * self.X[:, 1:] + noise",
                "weights = torch.tensor([[2.0], [3.0]], dtype=torch.float64)\n"
                "        self.y = self.X.double() @ weights + noise.double()",
            ),
        ),
    ),
    _wrong(
        "ex5_1 shuffling without a seeded generator (the seed is ignored)",
        "ex5_1_solution",
        ["seeded"],
        ["ex5_1_tests_loader"],
        make_loader="""
def make_loader(dataset: Dataset, batch_size: int = 32, seed: int = 0) -> DataLoader:
    return DataLoader(dataset, batch_size=batch_size, shuffle=True)
""",
    ),
    _wrong(
        "ex5_1 the global seed set instead of a generator (the order follows the global state)",
        "ex5_1_solution",
        ["seeded"],
        ["ex5_1_tests_loader"],
        make_loader="""
def make_loader(dataset: Dataset, batch_size: int = 32, seed: int = 0) -> DataLoader:
    torch.manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=True)
""",
    ),
    _wrong(
        "ex5_1 a generator seeded with 0 whatever the seed",
        "ex5_1_solution",
        ["seeded"],
        ["ex5_1_tests_loader"],
        make_loader="""
def make_loader(dataset: Dataset, batch_size: int = 32, seed: int = 0) -> DataLoader:
    generator = torch.Generator().manual_seed(0)
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, generator=generator)
""",
    ),
    _wrong(
        "ex5_1 the last, smaller batch dropped",
        "ex5_1_solution",
        ["batches"],
        ["ex5_1_tests_loader"],
        make_loader="""
def make_loader(dataset: Dataset, batch_size: int = 32, seed: int = 0) -> DataLoader:
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(
        dataset, batch_size=batch_size, shuffle=True, generator=generator, drop_last=True
    )
""",
    ),
    _wrong(
        "ex5_1 shuffled once into a Subset (every epoch in the same order)",
        "ex5_1_solution",
        ["shuffles"],
        ["ex5_1_tests_loader"],
        make_loader="""
def make_loader(dataset: Dataset, batch_size: int = 32, seed: int = 0) -> DataLoader:
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(dataset), generator=generator)
    return DataLoader(Subset(dataset, order.tolist()), batch_size=batch_size)
""",
    ),
    _wrong(
        "ex5_1 a seeded generator but shuffle=False",
        "ex5_1_solution",
        ["shuffles"],
        ["ex5_1_tests_loader"],
        make_loader="""
def make_loader(dataset: Dataset, batch_size: int = 32, seed: int = 0) -> DataLoader:
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, generator=generator)
""",
    ),
    # 5.2 ------------------------------------------------------------------------------
    _wrong(
        "ex5_2 a random split that ignores the classes",
        "ex5_2_solution",
        ["stratified"],
        ["ex5_2_tests_split"],
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
        ["random"],
        ["ex5_2_tests_split"],
        stratified_split=_edit(
            "ex5_2_solution",
            "stratified_split",
            (
                "        members = members[torch.randperm(len(members), generator=generator)]\n",
                "",
            ),
        ),
    ),
    _wrong(
        "ex5_2 counts truncated with int() (the test split gets up to two extra samples)",
        "ex5_2_solution",
        ["stratified"],
        ["ex5_2_tests_split"],
        stratified_split=_edit(
            "ex5_2_solution",
            "stratified_split",
            ("n_train = round(", "n_train = int("),
            ("n_val = round(", "n_val = int("),
        ),
    ),
    _wrong(
        "ex5_2 the validation split sized with the test fraction",
        "ex5_2_solution",
        ["stratified"],
        ["ex5_2_tests_split"],
        stratified_split=_edit(
            "ex5_2_solution",
            "stratified_split",
            (
                "n_val = round(fractions[1] * len(members))",
                "n_val = round(fractions[2] * len(members))",
            ),
        ),
    ),
    _wrong(
        "ex5_2 classes assumed to be 0, ..., C-1",
        "ex5_2_solution",
        ["any-classes"],
        ["ex5_2_tests_split"],
        stratified_split=_edit(
            "ex5_2_solution",
            "stratified_split",
            ("for c in labels.unique():", "for c in range(len(labels.unique())):"),
        ),
    ),
    _wrong(
        "ex5_2 positions within a class used as sample indices",
        "ex5_2_solution",
        ["partition"],
        ["ex5_2_tests_split"],
        stratified_split=_edit(
            "ex5_2_solution",
            "stratified_split",
            (
                "members = members[torch.randperm(len(members), generator=generator)]",
                "members = torch.randperm(len(members), generator=generator)",
            ),
        ),
    ),
    _wrong(
        "ex5_2 the indices returned as a list, not a tuple",
        "ex5_2_solution",
        ["indices"],
        ["ex5_2_tests_split"],
        stratified_split=_edit(
            "ex5_2_solution",
            "stratified_split",
            (
                "return tuple(torch.cat(p).sort().values for p in parts)",
                "return [torch.cat(p).sort().values for p in parts]",
            ),
        ),
    ),
    _wrong(
        "ex5_2 the indices not sorted",
        "ex5_2_solution",
        ["indices"],
        ["ex5_2_tests_split"],
        stratified_split=_edit(
            "ex5_2_solution",
            "stratified_split",
            (
                "return tuple(torch.cat(p).sort().values for p in parts)",
                "return tuple(torch.cat(p) for p in parts)",
            ),
        ),
    ),
    _wrong(
        "ex5_2 the global seed set instead of a generator (changes the global random state)",
        "ex5_2_solution",
        ["random"],
        ["ex5_2_tests_split"],
        stratified_split=_edit(
            "ex5_2_solution",
            "stratified_split",
            ("generator = torch.Generator().manual_seed(seed)", "torch.manual_seed(seed)"),
            (
                "torch.randperm(len(members), generator=generator)",
                "torch.randperm(len(members))",
            ),
        ),
    ),
    _wrong(
        "ex5_2 labels shifted to start at 0 in place (for bincount)",
        "ex5_2_solution",
        ["unchanged"],
        ["ex5_2_tests_split"],
        stratified_split=_edit(
            "ex5_2_solution",
            "stratified_split",
            (
                "    parts: list[list[torch.Tensor]] = [[], [], []]\n",
                "    parts: list[list[torch.Tensor]] = [[], [], []]\n"
                "    labels -= labels.min()  # classes from 0\n",
            ),
        ),
    ),
    _wrong(
        "ex5_2 the training loader does not shuffle",
        "ex5_2_solution",
        ["train-shuffles"],
        ["ex5_2_tests_loaders"],
        split_loaders=_edit(
            "ex5_2_solution",
            "split_loaders",
            (
                "DataLoader(train, batch_size=batch_size, shuffle=True, generator=generator)",
                "DataLoader(train, batch_size=batch_size, shuffle=False)",
            ),
        ),
    ),
    _wrong(
        "ex5_2 a generator that is never seeded (the same order for every seed)",
        "ex5_2_solution",
        ["train-shuffles"],
        ["ex5_2_tests_loaders"],
        split_loaders=_edit(
            "ex5_2_solution",
            "split_loaders",
            ("generator = torch.Generator().manual_seed(seed)", "generator = torch.Generator()"),
        ),
    ),
    _wrong(
        "ex5_2 every loader shuffles",
        "ex5_2_solution",
        ["in-order"],
        ["ex5_2_tests_loaders"],
        split_loaders=_edit(
            "ex5_2_solution",
            "split_loaders",
            (
                "DataLoader(val, batch_size=batch_size, shuffle=False)",
                "DataLoader(val, batch_size=batch_size, shuffle=True, generator=generator)",
            ),
            (
                "DataLoader(test, batch_size=batch_size, shuffle=False)",
                "DataLoader(test, batch_size=batch_size, shuffle=True, generator=generator)",
            ),
        ),
    ),
    _wrong(
        "ex5_2 validation and test loaders over the whole dataset",
        "ex5_2_solution",
        ["subsets"],
        ["ex5_2_tests_loaders"],
        split_loaders=_edit(
            "ex5_2_solution",
            "split_loaders",
            (
                "DataLoader(val, batch_size=batch_size, shuffle=False)",
                "DataLoader(dataset, batch_size=batch_size, shuffle=False)",
            ),
            (
                "DataLoader(test, batch_size=batch_size, shuffle=False)",
                "DataLoader(dataset, batch_size=batch_size, shuffle=False)",
            ),
        ),
    ),
    _wrong(
        "ex5_2 subsets by indexing the dataset (works for a TensorDataset only)",
        "ex5_2_solution",
        ["subsets"],
        ["ex5_2_tests_loaders"],
        split_loaders=_edit(
            "ex5_2_solution",
            "split_loaders",
            (
                "train, val, test = (Subset(dataset, idx.tolist()) for idx in splits)",
                "train, val, test = (TensorDataset(*dataset[idx]) for idx in splits)",
            ),
        ),
    ),
    _wrong(
        "ex5_2 the last, smaller batches dropped",
        "ex5_2_solution",
        ["subsets"],
        ["ex5_2_tests_loaders"],
        split_loaders="""
def split_loaders(dataset, splits, batch_size=32, seed=0):
    train, val, test = (Subset(dataset, idx.tolist()) for idx in splits)
    generator = torch.Generator().manual_seed(seed)
    return (
        DataLoader(train, batch_size=batch_size, shuffle=True, generator=generator, drop_last=True),
        DataLoader(val, batch_size=batch_size, drop_last=True),
        DataLoader(test, batch_size=batch_size, drop_last=True),
    )
""",
    ),
    # 5.3 ------------------------------------------------------------------------------
    _wrong(
        "ex5_3 2-D windows left with the time last (unfold without movedim)",
        "ex5_3_solution",
        ["windows"],
        ["ex5_3_tests_windows"],
        make_windows="""
def make_windows(series, window, horizon, stride=1):
    blocks = series.unfold(0, window + horizon, stride)
    return blocks[..., :window], blocks[..., window:]
""",
    ),
    _wrong(
        "ex5_3 windows through numpy's sliding_window_view (CPU only)",
        "ex5_3_solution",
        ["dtype-device"],
        ["ex5_3_tests_windows"],
        make_windows="""
import numpy as np


def make_windows(series, window, horizon, stride=1):
    view = np.lib.stride_tricks.sliding_window_view(series.numpy(), window + horizon, axis=0)
    blocks = torch.from_numpy(view[::stride].copy()).movedim(-1, 1)
    return blocks[:, :window], blocks[:, window:]
""",
    ),
    _wrong(
        "ex5_3 windows converted to float32",
        "ex5_3_solution",
        ["dtype-device"],
        ["ex5_3_tests_windows"],
        make_windows=_edit(
            "ex5_3_solution",
            "make_windows",
            ("blocks = series.unfold(", "blocks = series.float().unfold("),
        ),
    ),
    _wrong(
        "ex5_3 windows stacked in a comprehension",
        "ex5_3_solution",
        ["no-loops"],
        ["ex5_3_tests_windows"],
        make_windows="""
def make_windows(series, window, horizon, stride=1):
    starts = range(0, len(series) - window - horizon + 1, stride)
    inputs = torch.stack([series[t : t + window] for t in starts])
    targets = torch.stack([series[t + window : t + window + horizon] for t in starts])
    return inputs, targets
""",
    ),
    _wrong(
        "ex5_3 one window too few (len is (T - w - h) // r)",
        "ex5_3_solution",
        ["length"],
        ["ex5_3_tests_dataset"],
        TimeSeriesDataset=_edit(
            "ex5_3_solution",
            "TimeSeriesDataset",
            (
                "(len(self.series) - self.window - self.horizon) // self.stride + 1)",
                "(len(self.series) - self.window - self.horizon) // self.stride)",
            ),
        ),
    ),
    _wrong(
        "ex5_3 item k starts at k, whatever the stride",
        "ex5_3_solution",
        ["items"],
        ["ex5_3_tests_dataset"],
        TimeSeriesDataset=_edit(
            "ex5_3_solution", "TimeSeriesDataset", ("start = index * self.stride", "start = index")
        ),
    ),
    _wrong(
        "ex5_3 negative indices not counted from the end",
        "ex5_3_solution",
        ["negative"],
        ["ex5_3_tests_dataset"],
        TimeSeriesDataset=_edit(
            "ex5_3_solution",
            "TimeSeriesDataset",
            ("        if index < 0:\n            index += n\n", ""),
            ("if not 0 <= index < n:", "if index >= n:"),
        ),
    ),
    _wrong(
        "ex5_3 no IndexError past the end (a shorter window comes back)",
        "ex5_3_solution",
        ["index-error"],
        ["ex5_3_tests_dataset"],
        TimeSeriesDataset=_edit(
            "ex5_3_solution",
            "TimeSeriesDataset",
            (
                "        if not 0 <= index < n:\n"
                '            raise IndexError(f"window index out of range for {n} windows")\n',
                "",
            ),
        ),
    ),
    _wrong(
        "ex5_3 every window copied in __init__",
        "ex5_3_solution",
        ["storage"],
        ["ex5_3_tests_dataset"],
        TimeSeriesDataset="""
class TimeSeriesDataset(Dataset):

    def __init__(self, series, window, horizon, stride=1):
        inputs, targets = make_windows(series, window, horizon, stride)
        self.inputs, self.targets = inputs.clone(), targets.clone()

    def __len__(self):
        return len(self.inputs)

    def __getitem__(self, index):
        return self.inputs[index], self.targets[index]
""",
    ),
    _wrong(
        "ex5_3 temporal split without a gap (test windows overlap the training targets)",
        "ex5_3_solution",
        ["test"],
        ["ex5_3_tests_split"],
        temporal_split="""
def temporal_split(n_windows, window, horizon, train_fraction, stride=1):
    n_train = int(train_fraction * n_windows)
    return torch.arange(n_train), torch.arange(n_train, n_windows)
""",
    ),
    _wrong(
        "ex5_3 the gap ignores the horizon",
        "ex5_3_solution",
        ["test"],
        ["ex5_3_tests_split"],
        temporal_split=_edit(
            "ex5_3_solution",
            "temporal_split",
            (
                "first_free = (n_train - 1) * stride + window + horizon",
                "first_free = (n_train - 1) * stride + window",
            ),
        ),
    ),
    _wrong(
        "ex5_3 torch.arange(first_test, n_windows) fails when no test window is left",
        "ex5_3_solution",
        ["test"],
        ["ex5_3_tests_split"],
        temporal_split=_edit(
            "ex5_3_solution",
            "temporal_split",
            (
                "torch.arange(first_test, max(first_test, n_windows))",
                "torch.arange(first_test, n_windows)",
            ),
        ),
    ),
    _wrong(
        "ex5_3 the number of training windows rounded, not floored",
        "ex5_3_solution",
        ["train"],
        ["ex5_3_tests_split"],
        temporal_split=_edit(
            "ex5_3_solution",
            "temporal_split",
            (
                "n_train = int(train_fraction * n_windows)",
                "n_train = round(train_fraction * n_windows)",
            ),
        ),
    ),
    _wrong(
        "ex5_3 the indices as Python lists",
        "ex5_3_solution",
        ["format"],
        ["ex5_3_tests_split"],
        temporal_split="""
def temporal_split(n_windows, window, horizon, train_fraction, stride=1):
    n_train = int(train_fraction * n_windows)
    last = (n_train - 1) * stride + window + horizon - 1
    return list(range(n_train)), [k for k in range(n_train, n_windows) if k * stride > last]
""",
    ),
    # 5.4 ------------------------------------------------------------------------------
    _wrong(
        "ex5_4 the biased std (N in the denominator)",
        "ex5_4_solution",
        ["fit"],
        ["ex5_4_tests_standardizer"],
        Standardizer=_edit(
            "ex5_4_solution",
            "Standardizer",
            ("std = X.std(dim=0)", "std = X.std(dim=0, unbiased=False)"),
        ),
    ),
    _wrong(
        "ex5_4 fit does not return self",
        "ex5_4_solution",
        ["fit-self", "train-only", "keys", "train-batches", "eval-rows"],
        [
            "ex5_4_tests_standardizer",
            "ex5_4_tests_splits",
            "ex5_7_tests_split",
            "ex5_7_tests_train",
            "ex5_7_tests_eval",
        ],
        Standardizer=_edit("ex5_4_solution", "Standardizer", ("        return self\n", "")),
    ),
    _wrong(
        "ex5_4 a constant feature divides by zero (NaN)",
        "ex5_4_solution",
        ["constant"],
        ["ex5_4_tests_standardizer"],
        Standardizer=_edit(
            "ex5_4_solution",
            "Standardizer",
            ("self.std = torch.where(std > 0, std, torch.ones_like(std))", "self.std = std"),
        ),
    ),
    _wrong(
        "ex5_4 the std clamped at a small epsilon instead of 1 for constant features",
        "ex5_4_solution",
        ["constant"],
        ["ex5_4_tests_standardizer"],
        Standardizer=_edit(
            "ex5_4_solution",
            "Standardizer",
            (
                "self.std = torch.where(std > 0, std, torch.ones_like(std))",
                "self.std = std.clamp_min(1e-8)",
            ),
        ),
    ),
    _wrong(
        "ex5_4 inverse_transform adds the mean before multiplying",
        "ex5_4_solution",
        ["transform"],
        ["ex5_4_tests_standardizer"],
        Standardizer=_edit(
            "ex5_4_solution",
            "Standardizer",
            ("return Z * self.std + self.mean", "return (Z + self.mean) * self.std"),
        ),
    ),
    _wrong(
        "ex5_4 transform in place (changes the caller's data)",
        "ex5_4_solution",
        ["unchanged"],
        ["ex5_4_tests_standardizer"],
        Standardizer=_edit(
            "ex5_4_solution",
            "Standardizer",
            (
                "return (X - self.mean) / self.std",
                "X -= self.mean\n        X /= self.std\n        return X",
            ),
        ),
    ),
    _wrong(
        "ex5_4 transform returns float32 whatever the input",
        "ex5_4_solution",
        ["dtype-device"],
        ["ex5_4_tests_standardizer"],
        Standardizer=_edit(
            "ex5_4_solution",
            "Standardizer",
            ("return (X - self.mean) / self.std", "return ((X - self.mean) / self.std).float()"),
        ),
    ),
    _wrong(
        "ex5_4 statistics fitted on all the data (leakage)",
        "ex5_4_solution",
        ["train-only"],
        ["ex5_4_tests_splits"],
        standardize_splits="""
def standardize_splits(X_train, X_val, X_test):
    scaler = Standardizer().fit(torch.cat([X_train, X_val, X_test]))
    return scaler.transform(X_train), scaler.transform(X_val), scaler.transform(X_test), scaler
""",
    ),
    _wrong(
        "ex5_4 each set standardised with its own statistics",
        "ex5_4_solution",
        ["train-only"],
        ["ex5_4_tests_splits"],
        standardize_splits="""
def standardize_splits(X_train, X_val, X_test):
    scaler = Standardizer().fit(X_train)
    Z_val = Standardizer().fit(X_val).transform(X_val)
    Z_test = Standardizer().fit(X_test).transform(X_test)
    return scaler.transform(X_train), Z_val, Z_test, scaler
""",
    ),
    _wrong(
        "ex5_4 the statistics returned instead of the Standardizer",
        "ex5_4_solution",
        ["scaler"],
        ["ex5_4_tests_splits"],
        standardize_splits="""
def standardize_splits(X_train, X_val, X_test):
    scaler = Standardizer().fit(X_train)
    Z = [scaler.transform(X) for X in (X_train, X_val, X_test)]
    return Z[0], Z[1], Z[2], (scaler.mean, scaler.std)
""",
    ),
    # 5.5 ------------------------------------------------------------------------------
    _wrong(
        "ex5_5 shift with torch.roll (wraps around instead of zero-filling)",
        "ex5_5_solution",
        ["shift"],
        ["ex5_5_tests_transforms"],
        random_shift="""
def random_shift(image, max_shift, generator):
    dy, dx = torch.randint(-max_shift, max_shift + 1, (2,), generator=generator).tolist()
    return torch.roll(image, shifts=(dy, dx), dims=(-2, -1))
""",
    ),
    _wrong(
        "ex5_5 shift in the opposite direction",
        "ex5_5_solution",
        ["shift"],
        ["ex5_5_tests_transforms"],
        random_shift="""
def random_shift(image, max_shift, generator):
    dy, dx = torch.randint(-max_shift, max_shift + 1, (2,), generator=generator).tolist()
    dy, dx = -dy, -dx
    out = torch.zeros_like(image)
    H, W = image.shape[-2:]
    if abs(dy) >= H or abs(dx) >= W:
        return out
    out[:, max(dy, 0) : H + min(dy, 0), max(dx, 0) : W + min(dx, 0)] = image[
        :, max(-dy, 0) : H + min(-dy, 0), max(-dx, 0) : W + min(-dx, 0)
    ]
    return out
""",
    ),
    _wrong(
        "ex5_5 dy applied to the columns and dx to the rows",
        "ex5_5_solution",
        ["shift"],
        ["ex5_5_tests_transforms"],
        random_shift=_edit(
            "ex5_5_solution",
            "random_shift",
            (
                "dy, dx = torch.randint(-max_shift, max_shift + 1, (2,), generator=generator).tolist()",
                "dx, dy = torch.randint(-max_shift, max_shift + 1, (2,), generator=generator).tolist()",
            ),
        ),
    ),
    _wrong(
        "ex5_5 a shift larger than the image crashes (no guard)",
        "ex5_5_solution",
        ["shift"],
        ["ex5_5_tests_transforms"],
        random_shift=_edit(
            "ex5_5_solution",
            "random_shift",
            ("    if abs(dy) >= H or abs(dx) >= W:\n        return out\n", ""),
        ),
    ),
    _wrong(
        "ex5_5 noise not clipped to [0, 1]",
        "ex5_5_solution",
        ["noise"],
        ["ex5_5_tests_transforms"],
        add_gaussian_noise="""
def add_gaussian_noise(image, std, generator):
    noise = torch.randn(image.shape, generator=generator, dtype=image.dtype).to(image.device)
    return image + std * noise
""",
    ),
    _wrong(
        "ex5_5 noise drawn in float32 for every image",
        "ex5_5_solution",
        ["noise"],
        ["ex5_5_tests_transforms"],
        add_gaussian_noise="""
def add_gaussian_noise(image, std, generator):
    noise = torch.randn(image.shape, generator=generator).to(image.device, image.dtype)
    return (image + std * noise).clamp(0.0, 1.0)
""",
    ),
    _wrong(
        "ex5_5 intensity not clipped",
        "ex5_5_solution",
        ["scale"],
        ["ex5_5_tests_transforms"],
        random_intensity_scale="""
def random_intensity_scale(image, low, high, generator):
    factor = low + (high - low) * torch.rand((), generator=generator).item()
    return image * factor
""",
    ),
    _wrong(
        "ex5_5 noise from the global generator (randn_like), not the given one",
        "ex5_5_solution",
        ["generator"],
        ["ex5_5_tests_transforms"],
        add_gaussian_noise="""
def add_gaussian_noise(image, std, generator):
    return (image + std * torch.randn_like(image)).clamp(0.0, 1.0)
""",
    ),
    _wrong(
        "ex5_5 intensity factor from the global generator (torch.rand without generator)",
        "ex5_5_solution",
        ["generator", "scale"],
        ["ex5_5_tests_transforms"],
        random_intensity_scale=_edit(
            "ex5_5_solution",
            "random_intensity_scale",
            ("torch.rand((), generator=generator).item()", "torch.rand(()).item()"),
        ),
    ),
    _wrong(
        "ex5_5 the label returned as a Python int",
        "ex5_5_solution",
        ["items"],
        ["ex5_5_tests_pipeline"],
        AugmentedDigits=_edit(
            "ex5_5_solution",
            "AugmentedDigits",
            ("return image, self.labels[index]", "return image, int(self.labels[index])"),
        ),
    ),
    _wrong(
        "ex5_5 noise not moved to the image's device",
        "ex5_5_solution",
        ["new-tensor"],
        ["ex5_5_tests_transforms"],
        add_gaussian_noise="""
def add_gaussian_noise(image, std, generator):
    noise = torch.randn(image.shape, generator=generator, dtype=image.dtype)
    return (image + std * noise).clamp(0.0, 1.0)
""",
    ),
    _wrong(
        "ex5_5 the image itself returned when the shift is zero",
        "ex5_5_solution",
        ["new-tensor"],
        ["ex5_5_tests_transforms"],
        random_shift=_edit(
            "ex5_5_solution",
            "random_shift",
            (
                "    out = torch.zeros_like(image)\n",
                "    if dy == 0 and dx == 0:\n        return image\n    out = torch.zeros_like(image)\n",
            ),
        ),
    ),
    _wrong(
        "ex5_5 the intensity scaled in place (changes the caller's image)",
        "ex5_5_solution",
        ["new-tensor"],
        ["ex5_5_tests_transforms"],
        random_intensity_scale="""
def random_intensity_scale(image, low, high, generator):
    factor = low + (high - low) * torch.rand((), generator=generator).item()
    return image.mul_(factor).clamp_(0.0, 1.0)
""",
    ),
    _wrong(
        "ex5_5 augmentation in another order (noise first)",
        "ex5_5_solution",
        ["augment"],
        ["ex5_5_tests_pipeline"],
        make_augmentation=_edit(
            "ex5_5_solution",
            "make_augmentation",
            (
                "        image = random_shift(image, max_shift, generator)\n"
                "        image = random_intensity_scale(image, scale_range[0], scale_range[1], generator)\n"
                "        return add_gaussian_noise(image, noise_std, generator)\n",
                "        image = add_gaussian_noise(image, noise_std, generator)\n"
                "        image = random_intensity_scale(image, scale_range[0], scale_range[1], generator)\n"
                "        return random_shift(image, max_shift, generator)\n",
            ),
        ),
    ),
    _wrong(
        "ex5_5 a new generator at every call (every call gives the same image)",
        "ex5_5_solution",
        ["augment"],
        ["ex5_5_tests_pipeline"],
        make_augmentation="""
def make_augmentation(noise_std=0.05, max_shift=1, scale_range=(0.9, 1.1), seed=0):
    def augment(image):
        generator = torch.Generator().manual_seed(seed)
        image = random_shift(image, max_shift, generator)
        image = random_intensity_scale(image, scale_range[0], scale_range[1], generator)
        return add_gaussian_noise(image, noise_std, generator)

    return augment
""",
    ),
    _wrong(
        "ex5_5 the transform called even when it is None",
        "ex5_5_solution",
        ["items"],
        ["ex5_5_tests_pipeline"],
        AugmentedDigits=_edit(
            "ex5_5_solution",
            "AugmentedDigits",
            (
                "        image = self.images[index]\n"
                "        if self.transform is not None:\n"
                "            image = self.transform(image)\n",
                "        image = self.transform(self.images[index])\n",
            ),
        ),
    ),
    _wrong(
        "ex5_5 every image augmented once, in __init__",
        "ex5_5_solution",
        ["every-access"],
        ["ex5_5_tests_pipeline"],
        AugmentedDigits="""
class AugmentedDigits(Dataset):

    def __init__(self, images, labels, transform=None):
        if transform is not None:
            images = torch.stack([transform(image) for image in images])
        self.images, self.labels = images, labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        return self.images[index], self.labels[index]
""",
    ),
    # 5.6 ------------------------------------------------------------------------------
    _wrong(
        "ex5_6 pad_sequence without batch_first (time first)",
        "ex5_6_solution",
        ["padded"],
        ["ex5_6_tests_collate"],
        pad_collate=_edit(
            "ex5_6_solution",
            "pad_collate",
            (
                "pad_sequence(sequences, batch_first=True, padding_value=0.0)",
                "pad_sequence(sequences, padding_value=0.0)",
            ),
        ),
    ),
    _wrong(
        "ex5_6 the batch sorted by length (for pack_padded_sequence)",
        "ex5_6_solution",
        ["order"],
        ["ex5_6_tests_collate"],
        pad_collate="""
def pad_collate(batch):
    batch = sorted(batch, key=lambda pair: len(pair[0]), reverse=True)
    sequences = [sequence for sequence, _ in batch]
    labels = torch.tensor([int(label) for _, label in batch], dtype=torch.int64)
    lengths = torch.tensor([len(sequence) for sequence in sequences], dtype=torch.int64)
    return pad_sequence(sequences, batch_first=True), lengths, labels
""",
    ),
    _wrong(
        "ex5_6 lengths on the sequences' device",
        "ex5_6_solution",
        ["lengths"],
        ["ex5_6_tests_collate"],
        pad_collate=_edit(
            "ex5_6_solution",
            "pad_collate",
            (
                "lengths = torch.tensor([len(sequence) for sequence in sequences], dtype=torch.int64)",
                "lengths = torch.tensor(\n        [len(s) for s in sequences], dtype=torch.int64, "
                "device=sequences[0].device\n    )",
            ),
        ),
    ),
    _wrong(
        "ex5_6 labels returned as a list",
        "ex5_6_solution",
        ["labels"],
        ["ex5_6_tests_collate"],
        pad_collate=_edit(
            "ex5_6_solution",
            "pad_collate",
            (
                "labels = torch.tensor([int(label) for _, label in batch], dtype=torch.int64)",
                "labels = [int(label) for _, label in batch]",
            ),
        ),
    ),
    _wrong(
        "ex5_6 mask with <= (one step too many)",
        "ex5_6_solution",
        ["mask", "mean"],
        ["ex5_6_tests_mask", "ex5_6_tests_mean"],
        length_mask=_edit(
            "ex5_6_solution", "length_mask", ("< lengths.unsqueeze(1)", "<= lengths.unsqueeze(1)")
        ),
    ),
    _wrong(
        "ex5_6 mask built with torch.arange on the CPU",
        "ex5_6_solution",
        ["device", "dtype-device"],
        ["ex5_6_tests_mask", "ex5_6_tests_mean"],
        length_mask=_edit(
            "ex5_6_solution",
            "length_mask",
            ("torch.arange(max_len, device=lengths.device)", "torch.arange(max_len)"),
        ),
    ),
    _wrong(
        "ex5_6 a float mask (0.0 and 1.0), ready to multiply",
        "ex5_6_solution",
        ["mask"],
        ["ex5_6_tests_mask"],
        length_mask=_edit(
            "ex5_6_solution",
            "length_mask",
            (
                "return torch.arange(max_len, device=lengths.device) < lengths.unsqueeze(1)",
                "return (torch.arange(max_len, device=lengths.device) < lengths.unsqueeze(1)).float()",
            ),
        ),
    ),
    _wrong(
        "ex5_6 mean by dividing the padded sum (counts on zero padding)",
        "ex5_6_solution",
        ["mean"],
        ["ex5_6_tests_mean"],
        masked_mean="""
def masked_mean(padded, lengths):
    lengths = lengths.to(padded.device)
    return padded.sum(dim=1) / lengths.unsqueeze(1).to(padded.dtype)
""",
    ),
    _wrong(
        "ex5_6 mean over every time step, padding included",
        "ex5_6_solution",
        ["mean"],
        ["ex5_6_tests_mean"],
        masked_mean="""
def masked_mean(padded, lengths):
    return padded.mean(dim=1)
""",
    ),
    _wrong(
        "ex5_6 lengths not moved to the device of padded",
        "ex5_6_solution",
        ["dtype-device"],
        ["ex5_6_tests_mean"],
        masked_mean="""
def masked_mean(padded, lengths):
    mask = length_mask(lengths, padded.shape[1]).unsqueeze(-1)
    return (padded * mask).sum(dim=1) / lengths.unsqueeze(1)
""",
    ),
    _wrong(
        "ex5_6 GRU run over the padding (no packing, last time step)",
        "ex5_6_solution",
        ["forward"],
        ["ex5_6_tests_gru"],
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
        ["forward"],
        ["ex5_6_tests_gru"],
        GRUClassifier=_edit(
            "ex5_6_solution", "GRUClassifier", ("enforce_sorted=False", "enforce_sorted=True")
        ),
    ),
    _wrong(
        "ex5_6 the last output column after unpacking (zeros for the shorter sequences)",
        "ex5_6_solution",
        ["forward"],
        ["ex5_6_tests_gru"],
        GRUClassifier=_edit(
            "ex5_6_solution",
            "GRUClassifier",
            (
                "        _, h_n = self.gru(packed)  # (1, B, hidden), in the original batch order\n"
                "        return self.head(h_n[-1])\n",
                "        output, _ = self.gru(packed)\n"
                "        output, _ = pad_packed_sequence(output, batch_first=True)\n"
                "        return self.head(output[:, -1])\n",
            ),
        ),
    ),
    _wrong(
        "ex5_6 the batch cast to float32 before packing (fails for a float64 model)",
        "ex5_6_solution",
        ["forward"],
        ["ex5_6_tests_gru"],
        GRUClassifier=_edit(
            "ex5_6_solution",
            "GRUClassifier",
            (
                "pack_padded_sequence(padded, lengths.cpu()",
                "pack_padded_sequence(padded.float(), lengths.cpu()",
            ),
        ),
    ),
    _wrong(
        "ex5_6 a dropout layer as a third submodule",
        "ex5_6_solution",
        ["submodules"],
        ["ex5_6_tests_gru"],
        GRUClassifier=_edit(
            "ex5_6_solution",
            "GRUClassifier",
            (
                "        self.head = nn.Linear(hidden_size, n_classes)\n",
                "        self.head = nn.Linear(hidden_size, n_classes)\n"
                "        self.dropout = nn.Dropout(0.2)\n",
            ),
            ("return self.head(h_n[-1])", "return self.head(self.dropout(h_n[-1]))"),
        ),
    ),
    _wrong(
        "ex5_6 a GRU without batch_first, packed as batch first",
        "ex5_6_solution",
        ["submodules"],
        ["ex5_6_tests_gru"],
        GRUClassifier=_edit(
            "ex5_6_solution",
            "GRUClassifier",
            (
                "self.gru = nn.GRU(input_size, hidden_size, batch_first=True)",
                "self.gru = nn.GRU(input_size, hidden_size)",
            ),
        ),
    ),
    # 5.7 ------------------------------------------------------------------------------
    _wrong(
        "ex5_7 labels read as floats",
        "ex5_7_solution",
        ["load"],
        ["ex5_7_tests_csv"],
        load_csv=_edit(
            "ex5_7_solution",
            "load_csv",
            (
                "y = torch.tensor([int(row[-1]) for row in rows], dtype=torch.int64)",
                "y = torch.tensor([float(row[-1]) for row in rows])",
            ),
        ),
    ),
    _wrong(
        "ex5_7 load_csv reads three features whatever the file holds",
        "ex5_7_solution",
        ["load"],
        ["ex5_7_tests_csv"],
        load_csv=_edit(
            "ex5_7_solution",
            "load_csv",
            ("for value in row[:-1]]", "for value in row[:3]]"),
        ),
    ),
    _wrong(
        "ex5_7 load_csv returns int32 labels",
        "ex5_7_solution",
        ["load"],
        ["ex5_7_tests_csv"],
        load_csv=_edit(
            "ex5_7_solution",
            "load_csv",
            ("for row in rows], dtype=torch.int64)", "for row in rows], dtype=torch.int32)"),
        ),
    ),
    _wrong(
        "ex5_7 load_csv returns float64 features",
        "ex5_7_solution",
        ["load"],
        ["ex5_7_tests_csv"],
        load_csv=_edit(
            "ex5_7_solution",
            "load_csv",
            ("for row in rows], dtype=torch.float32)", "for row in rows], dtype=torch.float64)"),
        ),
    ),
    _wrong(
        "ex5_7 the header skipped twice (the first sample is lost)",
        "ex5_7_solution",
        ["load"],
        ["ex5_7_tests_csv"],
        load_csv=_edit(
            "ex5_7_solution",
            "load_csv",
            (
                "        next(reader)  # the header\n",
                "        next(reader)  # the header\n        next(reader)\n",
            ),
        ),
    ),
    _wrong(
        "ex5_7 np.loadtxt (a file of one row comes back 1-D)",
        "ex5_7_solution",
        ["load"],
        ["ex5_7_tests_csv"],
        load_csv="""
import numpy as np


def load_csv(path):
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    X = torch.from_numpy(table[:, :-1]).float()
    y = torch.from_numpy(table[:, -1]).long()
    return X, y
""",
    ),
    _wrong(
        "ex5_7 the statistics saved as a tuple",
        "ex5_7_solution",
        ["save"],
        ["ex5_7_tests_stats"],
        save_stats="""
def save_stats(path, mean, std):
    torch.save((mean, std), path)
""",
    ),
    _wrong(
        "ex5_7 load_stats returns the dictionary",
        "ex5_7_solution",
        ["load"],
        ["ex5_7_tests_stats"],
        load_stats="""
def load_stats(path):
    return torch.load(path, weights_only=True)
""",
    ),
    _wrong(
        "ex5_7 load_stats with weights_only=False",
        "ex5_7_solution",
        ["weights-only"],
        ["ex5_7_tests_stats"],
        load_stats=_edit(
            "ex5_7_solution", "load_stats", ("weights_only=True", "weights_only=False")
        ),
    ),
    _wrong(
        "ex5_7 the loaders under the keys train_loader, val_loader and test_loader",
        "ex5_7_solution",
        ["keys", "train-batches", "eval-rows"],
        ["ex5_7_tests_split", "ex5_7_tests_train", "ex5_7_tests_eval"],
        build_pipeline=_edit(
            "ex5_7_solution",
            "build_pipeline",
            (
                'return {"splits": (train, val, test), "mean": scaler.mean, "std": scaler.std, **loaders}',
                'return {"splits": (train, val, test), "mean": scaler.mean, "std": scaler.std,\n'
                '            **{f"{key}_loader": loader for key, loader in loaders.items()}}',
            ),
        ),
    ),
    _wrong(
        "ex5_7 split with seed 0 whatever the seed",
        "ex5_7_solution",
        ["split"],
        ["ex5_7_tests_split"],
        build_pipeline=_edit(
            "ex5_7_solution",
            "build_pipeline",
            ("stratified_split(y, fractions, seed=seed)", "stratified_split(y, fractions)"),
        ),
    ),
    _wrong(
        "ex5_7 standardised with the statistics of all rows (leakage)",
        "ex5_7_solution",
        ["statistics"],
        ["ex5_7_tests_split"],
        build_pipeline=_edit(
            "ex5_7_solution",
            "build_pipeline",
            ("Standardizer().fit(X[train])", "Standardizer().fit(X)"),
        ),
    ),
    _wrong(
        "ex5_7 the last, smaller training batch dropped",
        "ex5_7_solution",
        ["train-batches"],
        ["ex5_7_tests_train"],
        build_pipeline=_edit(
            "ex5_7_solution",
            "build_pipeline",
            (
                "            generator=generator,\n",
                "            generator=generator,\n            drop_last=True,\n",
            ),
        ),
    ),
    _wrong(
        "ex5_7 the training loader shuffles without the seeded generator",
        "ex5_7_solution",
        ["train-shuffles"],
        ["ex5_7_tests_train"],
        build_pipeline=_edit(
            "ex5_7_solution", "build_pipeline", ("            generator=generator,\n", "")
        ),
    ),
    _wrong(
        "ex5_7 the training generator seeded with 0 whatever the seed",
        "ex5_7_solution",
        ["train-shuffles"],
        ["ex5_7_tests_train"],
        build_pipeline=_edit(
            "ex5_7_solution",
            "build_pipeline",
            (
                "generator = torch.Generator().manual_seed(seed)",
                "generator = torch.Generator().manual_seed(0)",
            ),
        ),
    ),
    _wrong(
        "ex5_7 training noise drawn once, not at every access",
        "ex5_7_solution",
        ["noise"],
        ["ex5_7_tests_train"],
        build_pipeline=_edit(
            "ex5_7_solution",
            "build_pipeline",
            (
                "self.X, self.y, self.noise_std = X, y, noise_std",
                "self.X, self.y, self.noise_std = X + noise_std * torch.randn_like(X), y, 0.0",
            ),
        ),
    ),
    _wrong(
        "ex5_7 training noise added to the raw features, before standardising",
        "ex5_7_solution",
        ["noise"],
        ["ex5_7_tests_train"],
        build_pipeline=_edit(
            "ex5_7_solution",
            "build_pipeline",
            (
                "                x = x + self.noise_std * torch.randn_like(x)\n",
                "                x = x + self.noise_std * torch.randn_like(x) / scaler.std\n",
            ),
        ),
    ),
    _wrong(
        "ex5_7 training labels as floats",
        "ex5_7_solution",
        ["items"],
        ["ex5_7_tests_train"],
        build_pipeline=_edit(
            "ex5_7_solution",
            "build_pipeline",
            (
                "NoisyRows(Z[train], y[train], train_noise_std)",
                "NoisyRows(Z[train], y[train].float(), train_noise_std)",
            ),
        ),
    ),
    _wrong(
        "ex5_7 num_workers not passed on",
        "ex5_7_solution",
        ["workers"],
        ["ex5_7_tests_train", "ex5_7_tests_eval"],
        build_pipeline=_edit(
            "ex5_7_solution",
            "build_pipeline",
            (
                "            num_workers=num_workers,\n            pin_memory=pin,\n        ),\n    }",
                "            pin_memory=pin,\n        ),\n    }",
            ),
            (
                "            num_workers=num_workers,\n            pin_memory=pin,\n        )\n",
                "            pin_memory=pin,\n        )\n",
            ),
        ),
    ),
    _wrong(
        "ex5_7 validation and test loaders shuffle",
        "ex5_7_solution",
        ["eval-rows"],
        ["ex5_7_tests_eval"],
        build_pipeline=_edit(
            "ex5_7_solution",
            "build_pipeline",
            ("            shuffle=False,\n", "            shuffle=True,\n"),
        ),
    ),
    _wrong(
        "ex5_7 validation and test rows standardised with their own statistics",
        "ex5_7_solution",
        ["eval-rows"],
        ["ex5_7_tests_eval"],
        build_pipeline=_edit(
            "ex5_7_solution",
            "build_pipeline",
            (
                "TensorDataset(Z[indices], y[indices])",
                "TensorDataset(Standardizer().fit(X[indices]).transform(X[indices]), y[indices])",
            ),
        ),
    ),
    _wrong(
        "ex5_7 noise on every loader",
        "ex5_7_solution",
        ["no-noise"],
        ["ex5_7_tests_eval"],
        build_pipeline=_edit(
            "ex5_7_solution",
            "build_pipeline",
            (
                "TensorDataset(Z[indices], y[indices])",
                "NoisyRows(Z[indices], y[indices], train_noise_std)",
            ),
        ),
    ),
    _wrong(
        "ex5_7 pin_memory always on",
        "ex5_7_solution",
        ["workers"],
        ["ex5_7_tests_train", "ex5_7_tests_eval"],
        build_pipeline=_edit(
            "ex5_7_solution", "build_pipeline", ("pin = torch.cuda.is_available()", "pin = True")
        ),
    ),
    _wrong(
        "ex5_7 validation and test labels as floats",
        "ex5_7_solution",
        ["items"],
        ["ex5_7_tests_eval"],
        build_pipeline=_edit(
            "ex5_7_solution",
            "build_pipeline",
            (
                "TensorDataset(Z[indices], y[indices])",
                "TensorDataset(Z[indices], y[indices].float())",
            ),
        ),
    ),
]
