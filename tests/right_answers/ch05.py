"""Correct answers to the Chapter 5 exercises, written the way other students would.

Each entry replaces one solution cell of ``solutions/ch05/ch05_exercises.ipynb``; every test
cell the answer reaches must keep its points (see autograder/corpus.py). They vary what the
statements leave open: samplers instead of ``shuffle=True`` (a ``DataLoader`` built with
``batch_sampler=`` has no ``batch_size``), loops where loops are allowed, index arithmetic
instead of ``unfold``, views or copies of the series, float64 inside, noise added by a
``collate_fn`` instead of the dataset.
"""

from __future__ import annotations

RIGHT_ANSWERS: list[dict] = [
    # 5.1 ------------------------------------------------------------------------------
    {
        "name": "ex5_1 targets by a matrix product, a RandomSampler with a seeded generator",
        "cell": "ex5_1_solution",
        "source": """
from torch.utils.data import RandomSampler


class LinearDataset(Dataset):
    def __init__(self, n_samples=1000, noise_std=0.1, seed=0):
        generator = torch.Generator().manual_seed(seed)
        self.X = torch.randn(n_samples, 2, generator=generator)
        noise = noise_std * torch.randn(n_samples, 1, generator=generator)
        self.y = self.X @ torch.tensor([[2.0], [3.0]]) + noise

    def __len__(self):
        return self.X.shape[0]

    def __getitem__(self, index):
        return (self.X[index], self.y[index])


def make_loader(dataset, batch_size=32, seed=0):
    sampler = RandomSampler(dataset, generator=torch.Generator().manual_seed(seed))
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler)
""",
    },
    {
        "name": "ex5_1 targets in float64, a DataLoader built with batch_sampler (no batch_size)",
        "cell": "ex5_1_solution",
        "source": """
from torch.utils.data import BatchSampler, RandomSampler


class LinearDataset(Dataset):
    def __init__(self, n_samples: int = 1000, noise_std: float = 0.1, seed: int = 0) -> None:
        g = torch.Generator()
        g.manual_seed(seed)
        X = torch.randn((n_samples, 2), generator=g)
        eps = torch.randn((n_samples, 1), generator=g) * noise_std
        y = 2.0 * X[:, 0].double() + 3.0 * X[:, 1].double()
        self.X = X
        self.y = (y.unsqueeze(1) + eps.double()).float()
        self.n = n_samples

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        return self.X[i], self.y[i]


def make_loader(dataset, batch_size=32, seed=0):
    g = torch.Generator()
    g.manual_seed(seed)
    batches = BatchSampler(RandomSampler(dataset, generator=g), batch_size, drop_last=False)
    return DataLoader(dataset, batch_sampler=batches)
""",
    },
    {
        "name": "ex5_1 a list of pairs, shuffle=True with a generator",
        "cell": "ex5_1_solution",
        "source": """
class LinearDataset(Dataset):
    def __init__(self, n_samples=1000, noise_std=0.1, seed=0):
        generator = torch.Generator().manual_seed(seed)
        self.X = torch.randn(n_samples, 2, generator=generator)
        noise = torch.randn(n_samples, 1, generator=generator)
        self.y = (2 * self.X[:, 0] + 3 * self.X[:, 1]).reshape(-1, 1) + noise_std * noise
        self.pairs = list(zip(self.X, self.y))

    def __len__(self):
        return len(self.pairs)

    def __getitem__(self, index):
        return self.pairs[index]


def make_loader(dataset, batch_size=32, seed=0):
    return DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=True,
        drop_last=False,
        generator=torch.Generator().manual_seed(seed),
    )
""",
    },
    # 5.2 ------------------------------------------------------------------------------
    {
        "name": "ex5_2 torch.split of each class's permutation; samplers instead of Subset",
        "cell": "ex5_2_solution",
        "source": """
from torch.utils.data import SubsetRandomSampler


def stratified_split(labels, fractions=(0.7, 0.15, 0.15), seed=0):
    generator = torch.Generator().manual_seed(seed)
    train, val, test = [], [], []
    for c in torch.unique(labels, sorted=True):
        members = torch.where(labels.cpu() == c.cpu())[0]
        shuffled = members[torch.randperm(members.numel(), generator=generator)]
        n_train = round(fractions[0] * members.numel())
        n_val = round(fractions[1] * members.numel())
        a, b, rest = torch.split(shuffled, [n_train, n_val, members.numel() - n_train - n_val])
        train.append(a)
        val.append(b)
        test.append(rest)
    return (
        torch.sort(torch.cat(train))[0],
        torch.sort(torch.cat(val))[0],
        torch.sort(torch.cat(test))[0],
    )


def split_loaders(dataset, splits, batch_size=32, seed=0):
    train, val, test = splits
    generator = torch.Generator().manual_seed(seed)
    return (
        DataLoader(dataset, batch_size=batch_size,
                   sampler=SubsetRandomSampler(train.tolist(), generator=generator)),
        DataLoader(dataset, batch_size=batch_size, sampler=val.tolist()),
        DataLoader(dataset, batch_size=batch_size, sampler=test.tolist()),
    )
""",
    },
    {
        "name": "ex5_2 without a loop over the classes: random keys, ranks within each class",
        "cell": "ex5_2_solution",
        "source": """
def stratified_split(labels, fractions=(0.7, 0.15, 0.15), seed=0):
    generator = torch.Generator().manual_seed(seed)
    labels = labels.cpu()
    n = len(labels)
    classes, inverse, counts = torch.unique(labels, return_inverse=True, return_counts=True)
    keys = torch.rand(n, generator=generator, dtype=torch.float64)
    # order the samples by class, then by their random key
    order = torch.argsort(inverse.double() * 2 + keys, stable=True)
    starts = torch.cumsum(counts, 0) - counts
    rank = torch.empty(n, dtype=torch.int64)
    rank[order] = torch.arange(n) - starts[inverse[order]]
    n_train = torch.tensor([round(fractions[0] * int(k)) for k in counts])
    n_val = torch.tensor([round(fractions[1] * int(k)) for k in counts])
    in_train = rank < n_train[inverse]
    in_val = ~in_train & (rank < (n_train + n_val)[inverse])
    in_test = ~in_train & ~in_val
    everything = torch.arange(n)
    return everything[in_train], everything[in_val], everything[in_test]


def split_loaders(dataset, splits, batch_size=32, seed=0):
    subsets = [Subset(dataset, indices) for indices in splits]
    train = DataLoader(subsets[0], batch_size, shuffle=True,
                       generator=torch.Generator().manual_seed(seed))
    return train, DataLoader(subsets[1], batch_size), DataLoader(subsets[2], batch_size)
""",
    },
    # 5.3 ------------------------------------------------------------------------------
    {
        "name": "ex5_3 windows by index arithmetic, a dataset of views, a split by a loop",
        "cell": "ex5_3_solution",
        "source": """
def make_windows(series, window, horizon, stride=1):
    n = (len(series) - window - horizon) // stride + 1
    device = series.device
    starts = torch.arange(n, device=device) * stride
    inputs = series[starts[:, None] + torch.arange(window, device=device)]
    targets = series[starts[:, None] + window + torch.arange(horizon, device=device)]
    return inputs, targets


class TimeSeriesDataset(Dataset):
    def __init__(self, series, window, horizon, stride=1):
        n = max(0, (len(series) - window - horizon) // stride + 1)
        self.items = []
        for k in range(n):  # slices are views: nothing is copied
            t = k * stride
            self.items.append((series[t : t + window], series[t + window : t + window + horizon]))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]  # a list raises IndexError and counts from the end


def temporal_split(n_windows, window, horizon, train_fraction, stride=1):
    n_train = int(train_fraction * n_windows)
    last_used = (n_train - 1) * stride + window + horizon - 1 if n_train else -1
    test = [k for k in range(n_train, n_windows) if k * stride > last_used]
    return torch.arange(n_train), torch.tensor(test, dtype=torch.int64)
""",
    },
    {
        "name": "ex5_3 unfold and transpose, a dataset over one copy of the series, a closed-form split",
        "cell": "ex5_3_solution",
        "source": """
import math


def make_windows(series, window, horizon, stride=1):
    blocks = series.unfold(0, window + horizon, stride)
    if series.dim() == 2:
        blocks = blocks.transpose(1, 2)
    return blocks[:, :window], blocks[:, window : window + horizon]


class TimeSeriesDataset(Dataset):
    def __init__(self, series, window, horizon, stride=1):
        self.series = series.clone()  # a copy of the series, not of every window
        self.window = window
        self.horizon = horizon
        self.stride = stride
        self.n = (series.shape[0] - window - horizon) // stride + 1

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        if index < -self.n or index >= self.n:
            raise IndexError(index)
        index = index % self.n
        start = index * self.stride
        block = self.series[start : start + self.window + self.horizon]
        return block[: self.window], block[self.window :]


def temporal_split(n_windows, window, horizon, train_fraction, stride=1):
    n_train = math.floor(train_fraction * n_windows)
    train = torch.arange(n_train, dtype=torch.int64)
    if n_train == 0:
        return train, torch.arange(n_windows)
    # window k starts at k * stride; it must start after the last sample of window n_train - 1
    first = math.ceil(((n_train - 1) * stride + window + horizon) / stride)
    return train, torch.arange(first, n_windows, dtype=torch.int64) if first < n_windows else torch.zeros(0, dtype=torch.int64)
""",
    },
    # 5.4 ------------------------------------------------------------------------------
    {
        "name": "ex5_4 statistics from sums, masked_fill for constant features",
        "cell": "ex5_4_solution",
        "source": """
class Standardizer:
    def fit(self, X):
        n = X.shape[0]
        self.mean = X.sum(dim=0) / n
        variance = ((X - self.mean) ** 2).sum(dim=0) / (n - 1)
        std = variance.sqrt()
        self.std = std.masked_fill(std == 0, 1.0)
        return self

    def transform(self, X):
        return (X - self.mean) / self.std

    def inverse_transform(self, Z):
        return torch.addcmul(self.mean, Z, self.std)


def standardize_splits(X_train, X_val, X_test):
    scaler = Standardizer()
    scaler.fit(X_train)
    Z = [scaler.transform(X) for X in (X_train, X_val, X_test)]
    return Z[0], Z[1], Z[2], scaler
""",
    },
    {
        "name": "ex5_4 float64 inside, std from var(correction=1), a boolean mask",
        "cell": "ex5_4_solution",
        "source": """
class Standardizer:
    def fit(self, X: torch.Tensor) -> "Standardizer":
        X64 = X.double()
        mean = X64.mean(dim=0)
        std = X64.var(dim=0, correction=1).sqrt()
        std[std == 0] = 1.0
        self.mean, self.std = mean.to(X.dtype), std.to(X.dtype)
        return self

    def transform(self, X: torch.Tensor) -> torch.Tensor:
        return X.sub(self.mean).div(self.std)

    def inverse_transform(self, Z: torch.Tensor) -> torch.Tensor:
        return Z.mul(self.std).add(self.mean)


def standardize_splits(X_train, X_val, X_test):
    scaler = Standardizer().fit(X_train)
    return (*(scaler.transform(X) for X in (X_train, X_val, X_test)), scaler)
""",
    },
    # 5.5 ------------------------------------------------------------------------------
    {
        "name": "ex5_5 shift by padding and cropping, an augmenter class, a dataset without branches",
        "cell": "ex5_5_solution",
        "source": """
import torch.nn.functional as F


def add_gaussian_noise(image, std, generator):
    noise = torch.randn(image.shape, generator=generator, dtype=image.dtype)
    return torch.clamp(image + std * noise.to(image.device), min=0.0, max=1.0)


def random_shift(image, max_shift, generator):
    dy, dx = torch.randint(-max_shift, max_shift + 1, (2,), generator=generator).tolist()
    C, H, W = image.shape
    m = max(abs(dy), abs(dx), 1)
    padded = F.pad(image, (m, m, m, m))  # zeros all round
    return padded[:, m - dy : m - dy + H, m - dx : m - dx + W].clone()


def random_intensity_scale(image, low, high, generator):
    u = torch.rand((), generator=generator).item()
    return (image * (low + (high - low) * u)).clamp(0, 1)


class _Augmenter:
    def __init__(self, noise_std, max_shift, scale_range, seed):
        self.noise_std, self.max_shift, self.scale_range = noise_std, max_shift, scale_range
        self.generator = torch.Generator().manual_seed(seed)

    def __call__(self, image):
        image = random_shift(image, self.max_shift, self.generator)
        image = random_intensity_scale(image, *self.scale_range, self.generator)
        return add_gaussian_noise(image, self.noise_std, self.generator)


def make_augmentation(noise_std=0.05, max_shift=1, scale_range=(0.9, 1.1), seed=0):
    return _Augmenter(noise_std, max_shift, scale_range, seed)


class AugmentedDigits(Dataset):
    def __init__(self, images, labels, transform=None):
        self.images = images
        self.labels = labels
        self.transform = transform if transform is not None else (lambda image: image)

    def __len__(self):
        return self.images.shape[0]

    def __getitem__(self, i):
        return self.transform(self.images[i]), self.labels[i]
""",
    },
    {
        "name": "ex5_5 shift by torch.roll with the wrapped rows zeroed, a closure",
        "cell": "ex5_5_solution",
        "source": """
def add_gaussian_noise(image, std, generator):
    noise = std * torch.randn(image.shape, generator=generator, dtype=image.dtype)
    noisy = image + noise.to(image.device)
    return noisy.clamp(0.0, 1.0)


def random_shift(image, max_shift, generator):
    dy, dx = torch.randint(-max_shift, max_shift + 1, (2,), generator=generator).tolist()
    H, W = image.shape[-2:]
    out = torch.roll(image, shifts=(dy, dx), dims=(-2, -1))
    rows = torch.arange(H, device=image.device)
    cols = torch.arange(W, device=image.device)
    inside = ((rows - dy >= 0) & (rows - dy < H))[:, None] & ((cols - dx >= 0) & (cols - dx < W))
    return torch.where(inside, out, torch.zeros_like(out))


def random_intensity_scale(image, low, high, generator):
    factor = low + (high - low) * torch.rand((), generator=generator).item()
    return torch.clamp(factor * image, 0.0, 1.0)


def make_augmentation(noise_std=0.05, max_shift=1, scale_range=(0.9, 1.1), seed=0):
    generator = torch.Generator()
    generator.manual_seed(seed)
    low, high = scale_range

    def augment(image):
        shifted = random_shift(image, max_shift, generator)
        scaled = random_intensity_scale(shifted, low, high, generator)
        return add_gaussian_noise(scaled, noise_std, generator)

    return augment


class AugmentedDigits(Dataset):
    def __init__(self, images, labels, transform=None):
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, index):
        image, label = self.images[index], self.labels[index]
        return (image if self.transform is None else self.transform(image)), label
""",
    },
    # 5.6 ------------------------------------------------------------------------------
    {
        "name": "ex5_6 padding by hand, a mask by broadcasting, the output gathered at the last step",
        "cell": "ex5_6_solution",
        "source": """
def pad_collate(batch):
    sequences = [s for s, _ in batch]
    B, L = len(sequences), max(s.shape[0] for s in sequences)
    first = sequences[0]
    padded = torch.zeros(B, L, first.shape[1], dtype=first.dtype, device=first.device)
    for b, s in enumerate(sequences):
        padded[b, : s.shape[0]] = s
    lengths = torch.tensor([s.shape[0] for s in sequences])
    labels = torch.stack([torch.as_tensor(label).cpu() for _, label in batch]).long()
    return padded, lengths, labels


def length_mask(lengths, max_len=None):
    if max_len is None:
        max_len = int(lengths.max().item())
    steps = torch.arange(max_len, device=lengths.device)
    return lengths[:, None] > steps[None, :]


def masked_mean(padded, lengths):
    lengths = lengths.to(padded.device)
    mask = length_mask(lengths, padded.shape[1])
    total = torch.where(mask[..., None], padded, torch.zeros_like(padded)).sum(dim=1)
    return total / lengths[:, None].to(padded.dtype)


class GRUClassifier(nn.Module):
    def __init__(self, input_size, hidden_size, n_classes):
        super().__init__()
        self.gru = nn.GRU(input_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, padded, lengths):
        lengths = lengths.to("cpu")
        packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
        output, _ = self.gru(packed)
        output, _ = pad_packed_sequence(output, batch_first=True)  # zeros after each end
        last = output[torch.arange(len(lengths)), lengths - 1]
        return self.head(last)
""",
    },
    {
        "name": "ex5_6 pad_sequence per batch, einsum for the mean, the batch sorted and unsorted by hand",
        "cell": "ex5_6_solution",
        "source": """
def pad_collate(batch):
    sequences, labels = zip(*batch)
    padded = pad_sequence(list(sequences), batch_first=True)
    lengths = torch.as_tensor([len(s) for s in sequences], dtype=torch.long)
    labels = torch.as_tensor([int(label) for label in labels], dtype=torch.long)
    return padded, lengths, labels


def length_mask(lengths, max_len=None):
    max_len = int(lengths.max()) if max_len is None else max_len
    return torch.arange(max_len, device=lengths.device).expand(len(lengths), max_len) < lengths.unsqueeze(-1)


def masked_mean(padded, lengths):
    mask = length_mask(lengths.to(padded.device), padded.size(1)).to(padded.dtype)
    sums = torch.einsum("btd,bt->bd", padded.masked_fill(mask[..., None] == 0, 0.0), mask)
    return sums / mask.sum(dim=1, keepdim=True)


class GRUClassifier(nn.Module):
    def __init__(self, input_size, hidden_size, n_classes):
        super().__init__()
        self.gru = nn.GRU(input_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, padded, lengths):
        lengths = lengths.cpu()
        order = torch.argsort(lengths, descending=True)
        packed = pack_padded_sequence(padded[order.to(padded.device)], lengths[order], batch_first=True)
        _, h_n = self.gru(packed)
        h = torch.empty_like(h_n[-1])
        h[order.to(h.device)] = h_n[-1]  # back to the order of the batch
        return self.head(h)
""",
    },
    # 5.7 ------------------------------------------------------------------------------
    {
        "name": "ex5_7 DictReader, noise in a collate_fn, a batch_sampler for the training loader",
        "cell": "ex5_7_solution",
        "source": """
from torch.utils.data import BatchSampler, RandomSampler, default_collate


def load_csv(path):
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    features = [key for key in rows[0] if key != "label"]
    X = torch.tensor([[float(row[key]) for key in features] for row in rows])
    y = torch.tensor([int(row["label"]) for row in rows])
    return X.float(), y.long()


def save_stats(path, mean, std):
    torch.save(dict(mean=mean, std=std), path)


def load_stats(path):
    stats = torch.load(path, weights_only=True)
    return stats["mean"], stats["std"]


def build_pipeline(csv_path, batch_size=32, fractions=(0.7, 0.15, 0.15), seed=0,
                   train_noise_std=0.0, num_workers=0):
    X, y = load_csv(csv_path)
    train, val, test = stratified_split(y, fractions, seed)
    scaler = Standardizer().fit(X[train])
    pin = torch.cuda.is_available()

    def noisy_batch(items):
        features, labels = default_collate(items)
        return features + train_noise_std * torch.randn_like(features), labels

    train_set = TensorDataset(scaler.transform(X[train]), y[train])
    sampler = RandomSampler(train_set, generator=torch.Generator().manual_seed(seed))
    loaders = {
        "train": DataLoader(
            train_set,
            batch_sampler=BatchSampler(sampler, batch_size, drop_last=False),
            collate_fn=noisy_batch,
            num_workers=num_workers,
            pin_memory=pin,
        )
    }
    for key, indices in (("val", val), ("test", test)):
        loaders[key] = DataLoader(
            TensorDataset(scaler.transform(X[indices]), y[indices]),
            batch_size=batch_size,
            num_workers=num_workers,
            pin_memory=pin,
        )
    return {"splits": (train, val, test), "mean": scaler.mean, "std": scaler.std, **loaders}
""",
    },
    {
        "name": "ex5_7 lines split by hand, a dataset class of rows, statistics inline in float64",
        "cell": "ex5_7_solution",
        "source": """
class Rows(Dataset):
    def __init__(self, features, labels, noise_std=0.0):
        self.features, self.labels, self.noise_std = features, labels, noise_std

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = self.features[i]
        if self.noise_std:
            x = x + torch.randn_like(x) * self.noise_std
        return x, self.labels[i]


def load_csv(path):
    lines = open(path).read().strip().splitlines()[1:]
    values = [line.split(",") for line in lines]
    X = torch.tensor([[float(v) for v in row[:-1]] for row in values], dtype=torch.float32)
    y = torch.tensor([int(row[-1]) for row in values], dtype=torch.int64)
    return X, y


def save_stats(path, mean, std):
    torch.save({"mean": mean.clone(), "std": std.clone()}, path)


def load_stats(path):
    d = torch.load(path, weights_only=True)
    return d["mean"], d["std"]


def build_pipeline(csv_path, batch_size=32, fractions=(0.7, 0.15, 0.15), seed=0,
                   train_noise_std=0.0, num_workers=0):
    X, y = load_csv(csv_path)
    splits = stratified_split(y, fractions, seed=seed)
    rows = X[splits[0]].double()
    mean, std = rows.mean(0), rows.std(0)
    std = torch.where(std > 0, std, torch.ones_like(std))
    Z = ((X.double() - mean) / std).float()
    common = {"batch_size": batch_size, "num_workers": num_workers,
              "pin_memory": torch.cuda.is_available()}
    g = torch.Generator()
    g.manual_seed(seed)
    train, val, test = splits
    return {
        "splits": splits,
        "mean": mean.float(),
        "std": std.float(),
        "train": DataLoader(Rows(Z[train], y[train], train_noise_std), shuffle=True,
                            generator=g, **common),
        "val": DataLoader(Rows(Z[val], y[val]), shuffle=False, **common),
        "test": DataLoader(Rows(Z[test], y[test]), **common),
    }
""",
    },
    {
        "name": "ex5_7 float64 from the file cast at the end, a sampler drawing from a seeded generator",
        "cell": "ex5_7_solution",
        "source": """
class SeededOrder(torch.utils.data.Sampler):
    # one generator seeded by seed for the loader's whole life: a new order at every epoch
    def __init__(self, n, seed):
        self.n, self.generator = n, torch.Generator().manual_seed(seed)

    def __len__(self):
        return self.n

    def __iter__(self):
        return iter(torch.randperm(self.n, generator=self.generator).tolist())


class NoisyRows(Dataset):
    def __init__(self, X, y, std):
        self.X, self.y, self.std = X, y, std

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.X[i] + self.std * torch.randn(self.X.shape[1]), self.y[i]


def load_csv(path):
    with open(path, newline="") as handle:
        table = [row for row in csv.reader(handle)][1:]
    X = torch.tensor([[float(v) for v in row[:-1]] for row in table], dtype=torch.float64)
    y = torch.tensor([int(row[-1]) for row in table])
    return X.to(torch.float32), y


def save_stats(path, mean, std):
    torch.save({"std": std, "mean": mean}, path)


def load_stats(path):
    stats = torch.load(path, weights_only=True)
    return stats["mean"], stats["std"]


def build_pipeline(csv_path, batch_size=32, fractions=(0.7, 0.15, 0.15), seed=0,
                   train_noise_std=0.0, num_workers=0):
    X, y = load_csv(csv_path)
    train, val, test = stratified_split(y, fractions, seed)
    scaler = Standardizer().fit(X[train])
    Z = scaler.transform(X).float()
    options = {"batch_size": batch_size, "num_workers": num_workers,
               "pin_memory": torch.cuda.is_available()}
    return {
        "splits": (train, val, test),
        "mean": scaler.mean,
        "std": scaler.std,
        "train": DataLoader(NoisyRows(Z[train], y[train], train_noise_std),
                            sampler=SeededOrder(len(train), seed), **options),
        "val": DataLoader(TensorDataset(Z[val], y[val].long()), **options),
        "test": DataLoader(TensorDataset(Z[test], y[test].long()), **options),
    }
""",
    },
]
