"""Correct answers to the Chapter 1 exercises, written the way other students would.

Each entry replaces one solution cell of ``solutions/ch01/ch01_exercises.ipynb``; every test
cell the answer reaches must keep its points (see autograder/corpus.py). They vary what the
statements leave open: another formula, another function, float64 inside, views or copies
where either is allowed, loops where loops are allowed.
"""

from __future__ import annotations

RIGHT_ANSWERS: list[dict] = [
    # 1.1 ------------------------------------------------------------------------------
    {
        "name": "ex1_1 randn with unpacked sizes, arange viewed, arange / (n - 1), diag of ones",
        "cell": "ex1_1_solution",
        "source": """
def random_normal(shape, seed, device="cpu"):
    g = torch.Generator()
    g.manual_seed(seed)
    x = torch.randn(*shape, generator=g)
    return x.to(device)


def arange_grid(rows, cols, device="cpu"):
    return torch.arange(rows * cols, dtype=torch.int64).view(rows, cols).to(device)


def unit_linspace(n, device="cpu"):
    return torch.arange(n, device=device) / (n - 1)


def identity(n, device="cpu"):
    return torch.diag(torch.ones(n, device=device))
""",
    },
    {
        "name": "ex1_1 normal_ on an empty tensor, a broadcast grid, linspace with dtype, eye",
        "cell": "ex1_1_solution",
        "source": """
def random_normal(shape, seed, device="cpu"):
    generator = torch.Generator(device="cpu").manual_seed(seed)
    samples = torch.empty(shape).normal_(generator=generator)
    return samples.to(torch.device(device))


def arange_grid(rows, cols, device="cpu"):
    device = torch.device(device)
    r = torch.arange(rows, device=device)[:, None]
    c = torch.arange(cols, device=device)[None, :]
    return r * cols + c


def unit_linspace(n, device="cpu"):
    return torch.linspace(0.0, 1.0, steps=n, dtype=torch.float32, device=torch.device(device))


def identity(n, device="cpu"):
    return torch.eye(n, n).to(device)
""",
    },
    {
        "name": "ex1_1 randn(size=...), .to(device=...), fill_diagonal_, reshape(rows, -1)",
        "cell": "ex1_1_solution",
        "source": """
def random_normal(
    shape: tuple[int, ...], seed: int, device: torch.device | str = "cpu"
) -> torch.Tensor:
    rng = torch.Generator().manual_seed(seed)
    values = torch.randn(size=shape, generator=rng, dtype=torch.float32)
    return values.to(device=device)


def arange_grid(rows: int, cols: int, device: torch.device | str = "cpu") -> torch.Tensor:
    return torch.arange(0, rows * cols, 1).reshape(rows, -1).to(device)


def unit_linspace(n: int, device: torch.device | str = "cpu") -> torch.Tensor:
    return torch.linspace(0, 1, n).to(device)


def identity(n: int, device: torch.device | str = "cpu") -> torch.Tensor:
    return torch.zeros(n, n, device=device).fill_diagonal_(1.0)
""",
    },
    {
        "name": "ex1_1 linspace from a float64 arange divided by n - 1, cast to float32",
        "cell": "ex1_1_solution",
        "source": """
def random_normal(shape, seed, device="cpu"):
    numbers = torch.randn(*shape, generator=torch.Generator().manual_seed(seed))
    return numbers.to(device)


def arange_grid(rows, cols, device="cpu"):
    return torch.arange(rows * cols, dtype=torch.int64, device=device).view(rows, cols)


def unit_linspace(n, device="cpu"):
    steps = torch.arange(n, dtype=torch.float64, device=device)
    return (steps / (n - 1)).to(torch.float32)


def identity(n, device="cpu"):
    return torch.eye(n, n, dtype=torch.float32, device=device)
""",
    },
    # 1.2 ------------------------------------------------------------------------------
    {
        "name": "ex1_2 view, permute, reshape(-1), None indexing",
        "cell": "ex1_2_solution",
        "source": """
def reshape_steps(x, shape):
    B, R, C = shape
    a = x.view(B, R, C)
    b = a.permute(0, 2, 1)
    c = b.reshape(-1)
    d = c[None, :]
    return a, b, c, d
""",
    },
    {
        "name": "ex1_2 swapaxes, contiguous().view(-1), torch.unsqueeze",
        "cell": "ex1_2_solution",
        "source": """
def reshape_steps(x, shape):
    a = x.reshape(*shape)
    b = a.swapaxes(-1, -2)
    c = b.contiguous().view(-1)
    d = torch.unsqueeze(c, dim=0)
    return (a, b, c, d)
""",
    },
    {
        "name": "ex1_2 torch functions, mT, view(1, -1)",
        "cell": "ex1_2_solution",
        "source": """
def reshape_steps(x: torch.Tensor, shape: tuple[int, int, int]):
    a = torch.reshape(x, shape)
    b = a.mT
    c = torch.flatten(b)
    d = c.view(1, -1)
    return tuple([a, b, c, d])
""",
    },
    # 1.3 ------------------------------------------------------------------------------
    {
        "name": "ex1_3 reshape to a column and a row, outer by a (m, 1) @ (1, n) product",
        "cell": "ex1_3_solution",
        "source": """
def addition_table(u, v):
    return u.reshape(-1, 1) + v.reshape(1, -1)


def outer(u, v):
    return u[:, None] @ v[None, :]


def subtract_channel_mean(images, mean):
    return images - mean.reshape(1, -1, 1, 1)
""",
    },
    {
        "name": "ex1_3 torch.add and torch.sub, outer by einsum, a helper for the channel shape",
        "cell": "ex1_3_solution",
        "source": """
def as_channels(mean):
    return mean.view(mean.shape[0], 1, 1)


def addition_table(u, v):
    return torch.add(u.view(-1, 1), v)


def outer(u, v):
    return torch.einsum("i,j->ij", u, v)


def subtract_channel_mean(images, mean):
    return torch.sub(images, as_channels(mean))
""",
    },
    {
        "name": "ex1_3 unsqueeze twice, torch.mul, a clone then an in-place subtraction",
        "cell": "ex1_3_solution",
        "source": """
def addition_table(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return u.unsqueeze(-1) + v.unsqueeze(0)


def outer(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return torch.mul(u.unsqueeze(1), v)


def subtract_channel_mean(images: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    result = images.clone()
    result -= mean.unsqueeze(-1).unsqueeze(-1)
    return result
""",
    },
    # 1.4 ------------------------------------------------------------------------------
    {
        "name": "ex1_4 boolean indexing, torch.max's own tuple, a step slice, torch.where",
        "cell": "ex1_4_solution",
        "source": """
def rows_with_positive_first(x):
    return x[x[:, 0] > 0]


def row_max(x):
    return torch.max(x, dim=1)


def even_rows(x):
    return x[::2]


def clamp_negatives(x):
    return torch.where(x < 0, 0.0, x)
""",
    },
    {
        "name": "ex1_4 index_select with nonzero, sort descending, arange indices, masked_fill",
        "cell": "ex1_4_solution",
        "source": """
def rows_with_positive_first(x):
    keep = torch.nonzero(x[:, 0] > 0, as_tuple=True)[0]
    return x.index_select(0, keep)


def row_max(x):
    ordered = torch.sort(x, dim=1, descending=True)
    return ordered.values[:, 0], ordered.indices[:, 0]


def even_rows(x):
    return x[torch.arange(0, x.shape[0], 2, device=x.device)]


def clamp_negatives(x):
    return x.masked_fill(x < 0, 0.0)
""",
    },
    {
        "name": "ex1_4 loops over rows (allowed here), amax, argmax, a mask assignment on a copy",
        "cell": "ex1_4_solution",
        "source": """
def rows_with_positive_first(x: torch.Tensor) -> torch.Tensor:
    rows = [row for row in x if row[0] > 0]
    if not rows:
        return x[:0]
    return torch.stack(rows)


def row_max(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    values = torch.stack([row.amax() for row in x])
    indices = torch.stack([row.argmax() for row in x])
    return values, indices


def even_rows(x: torch.Tensor) -> torch.Tensor:
    return x[torch.arange(len(x)) % 2 == 0]


def clamp_negatives(x: torch.Tensor) -> torch.Tensor:
    out = x.clone()
    out[x < 0] = 0
    return out
""",
    },
    {
        "name": "ex1_4 gt, gather, multiplication by the mask",
        "cell": "ex1_4_solution",
        "source": """
def rows_with_positive_first(x):
    return x[x[:, 0].gt(0)]


def row_max(x):
    indices = x.argmax(dim=1)
    values = x.gather(1, indices[:, None]).squeeze(1)
    return values, indices


def even_rows(x):
    return x[0::2, :]


def clamp_negatives(x):
    return x * (x >= 0)
""",
    },
    {
        "name": "ex1_4 torch.lt in a helper, the mask inverted and multiplied in, masked rows",
        "cell": "ex1_4_solution",
        "source": """
def _negative(x):
    return torch.lt(x, 0)


def rows_with_positive_first(x):
    return x[~torch.le(x[:, 0], 0)]


def row_max(x):
    result = torch.max(x, 1)
    return (result.values, result.indices)


def even_rows(x):
    return x[torch.arange(0, x.shape[0], 2, device=x.device)]


def clamp_negatives(x):
    return x * ~_negative(x)
""",
    },
    # 1.5 ------------------------------------------------------------------------------
    {
        "name": "ex1_5 squares summed by einsum, self masked with where",
        "cell": "ex1_5_solution",
        "source": """
def pairwise_distances(X: torch.Tensor) -> torch.Tensor:
    diff = X[:, None, :] - X[None, :, :]
    return torch.sqrt(torch.einsum("ijk,ijk->ij", diff, diff))


def nearest_neighbors(X: torch.Tensor) -> torch.Tensor:
    D = pairwise_distances(X)
    own = torch.eye(X.shape[0], dtype=torch.bool, device=X.device)
    return torch.where(own, torch.full_like(D, float("inf")), D).argmin(dim=1)
""",
    },
    {
        "name": "ex1_5 torch.linalg.norm, computed in float64 and cast back",
        "cell": "ex1_5_solution",
        "source": """
def pairwise_distances(X: torch.Tensor) -> torch.Tensor:
    Y = X.double()
    return torch.linalg.norm(Y.unsqueeze(1) - Y.unsqueeze(0), dim=2).to(X.dtype)


def nearest_neighbors(X: torch.Tensor) -> torch.Tensor:
    D = pairwise_distances(X) + torch.diag(X.new_full((X.shape[0],), float("inf")))
    return torch.argmin(D, dim=-1)
""",
    },
    {
        "name": "ex1_5 a helper for the differences, self excluded by adding the largest distance",
        "cell": "ex1_5_solution",
        "source": """
def differences(X):
    return X.unsqueeze(-2) - X.unsqueeze(-3)


def pairwise_distances(X):
    return differences(X).pow(2).sum(-1).sqrt()


def nearest_neighbors(X):
    D = pairwise_distances(X)
    big = D.max() + 1
    return (D + big * torch.eye(len(X), device=X.device, dtype=X.dtype)).min(dim=1).indices
""",
    },
    # 1.6 ------------------------------------------------------------------------------
    {
        "name": "ex1_6 a conditional expression, torch.matmul, per-product times averaged",
        "cell": "ex1_6_solution",
        "source": """
from statistics import mean
from time import perf_counter


def pick_device(prefer_gpu=True):
    return torch.device("cuda" if prefer_gpu and torch.cuda.is_available() else "cpu")


def matmul_on(a, b, device):
    home = a.device
    return torch.matmul(a.to(device), b.to(device)).to(home)


def time_matmul(n, device, repeats=10):
    device = torch.device(device)
    on_gpu = device.type == "cuda"
    a, b = torch.randn(n, n, device=device), torch.randn(n, n, device=device)
    torch.mm(a, b)
    times = []
    for _ in range(repeats):
        if on_gpu:
            torch.cuda.synchronize(device)
        start = perf_counter()
        torch.mm(a, b)
        if on_gpu:
            torch.cuda.synchronize(device)
        times.append(perf_counter() - start)
    return float(mean(times))
""",
    },
    {
        "name": "ex1_6 early return, einsum, rand and matmul into an out tensor, a sync helper",
        "cell": "ex1_6_solution",
        "source": """
import time


def pick_device(prefer_gpu: bool = True) -> torch.device:
    if not prefer_gpu:
        return torch.device("cpu")
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def matmul_on(a: torch.Tensor, b: torch.Tensor, device: torch.device | str) -> torch.Tensor:
    product = torch.einsum("ij,jk->ik", a.to(device), b.to(device))
    return product.to(a.device)


def wait_for(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def time_matmul(n: int, device: torch.device | str, repeats: int = 10) -> float:
    device = torch.device(device)
    a = torch.rand(n, n, dtype=torch.float32, device=device)
    b = torch.rand(n, n, dtype=torch.float32, device=device)
    out = torch.empty(n, n, device=device)
    torch.matmul(a, b, out=out)
    wait_for(device)
    start = time.perf_counter()
    for _ in range(repeats):
        torch.matmul(a, b, out=out)
    wait_for(device)
    elapsed = time.perf_counter() - start
    return elapsed / repeats
""",
    },
    {
        "name": "ex1_6 matrices made on the CPU and moved, torch.mm, .to with the device of a",
        "cell": "ex1_6_solution",
        "source": """
import time


def pick_device(prefer_gpu=True):
    use_cuda = bool(prefer_gpu) and torch.cuda.is_available()
    return torch.device("cuda") if use_cuda else torch.device("cpu")


def matmul_on(a, b, device):
    a_there, b_there = a.to(device), b.to(device)
    return torch.mm(a_there, b_there).to(device=a.device)


def time_matmul(n, device, repeats=10):
    device = torch.device(device)
    a = torch.randn(n, n).to(device)
    b = torch.randn(n, n).to(device)
    c = a @ b
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    t0 = time.perf_counter()
    for _ in range(repeats):
        c = a @ b
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    t1 = time.perf_counter()
    return (t1 - t0) / repeats
""",
    },
]
