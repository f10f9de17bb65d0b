"""Plausible wrong answers to the Chapter 1 exercises: tests of the tests.

Each entry replaces one solution cell of ``solutions/ch01/ch01_exercises.ipynb`` with what a
student might submit: the same functions, one of them with a plausible mistake. Grading the
notebook with that cell must make exactly the test cells in ``fails`` lose their points, each
on one of the clauses in ``breaks``, while every other test cell keeps them.

The cells are put together from the correct functions below, with one function replaced,
so that each entry shows only its mistake.
"""

from __future__ import annotations

# The correct functions of each solution cell, as a student would write them.
_CORRECT: dict[str, dict[str, str]] = {
    "ex1_1_solution": {
        "random_normal": """
def random_normal(
    shape: tuple[int, ...], seed: int, device: torch.device | str = "cpu"
) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=generator).to(device)
""",
        "arange_grid": """
def arange_grid(rows: int, cols: int, device: torch.device | str = "cpu") -> torch.Tensor:
    return torch.arange(rows * cols, device=device).reshape(rows, cols)
""",
        "unit_linspace": """
def unit_linspace(n: int, device: torch.device | str = "cpu") -> torch.Tensor:
    return torch.linspace(0, 1, n, device=device)
""",
        "identity": """
def identity(n: int, device: torch.device | str = "cpu") -> torch.Tensor:
    return torch.eye(n, device=device)
""",
    },
    "ex1_2_solution": {
        "reshape_steps": """
def reshape_steps(x: torch.Tensor, shape: tuple[int, int, int]):
    a = x.reshape(shape)
    b = a.transpose(-2, -1)
    c = b.flatten()
    d = c.unsqueeze(0)
    return a, b, c, d
""",
    },
    "ex1_3_solution": {
        "addition_table": """
def addition_table(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return u[:, None] + v
""",
        "outer": """
def outer(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return u.unsqueeze(1) * v.unsqueeze(0)
""",
        "subtract_channel_mean": """
def subtract_channel_mean(images: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    return images - mean[:, None, None]
""",
    },
    "ex1_4_solution": {
        "rows_with_positive_first": """
def rows_with_positive_first(x: torch.Tensor) -> torch.Tensor:
    mask = x[:, 0] > 0
    return x[mask]
""",
        "row_max": """
def row_max(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return x.max(dim=1).values, x.argmax(dim=1)
""",
        "even_rows": """
def even_rows(x: torch.Tensor) -> torch.Tensor:
    return x[torch.arange(len(x)) % 2 == 0]
""",
        "clamp_negatives": """
def clamp_negatives(x: torch.Tensor) -> torch.Tensor:
    return torch.where(x < 0, torch.zeros_like(x), x)
""",
    },
    "ex1_5_solution": {
        "pairwise_distances": """
def pairwise_distances(X: torch.Tensor) -> torch.Tensor:
    diff = X.unsqueeze(1) - X.unsqueeze(0)
    return (diff**2).sum(dim=-1).sqrt()
""",
        "nearest_neighbors": """
def nearest_neighbors(X: torch.Tensor) -> torch.Tensor:
    D = pairwise_distances(X)
    D = D + torch.diag(torch.full((len(X),), float("inf"), dtype=X.dtype, device=X.device))
    return D.argmin(dim=1)
""",
    },
    "ex1_6_solution": {
        "imports": """
import time
""",
        "pick_device": """
def pick_device(prefer_gpu: bool = True) -> torch.device:
    if prefer_gpu and torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")
""",
        "matmul_on": """
def matmul_on(a: torch.Tensor, b: torch.Tensor, device: torch.device | str) -> torch.Tensor:
    result = a.to(device) @ b.to(device)
    return result.to(a.device)
""",
        "time_matmul": """
def time_matmul(n: int, device: torch.device | str, repeats: int = 10) -> float:
    device = torch.device(device)
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    a @ b
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    if device.type == "cuda":
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / repeats
""",
    },
}


def _cell(cell: str, **replacements: str) -> str:
    """The source of solution cell ``cell`` with the named functions replaced."""
    functions = dict(_CORRECT[cell])
    unknown = set(replacements) - set(functions)
    if unknown:
        raise KeyError(f"{cell} has no function {sorted(unknown)}")
    functions.update(replacements)
    return "\n".join(source.strip("\n") + "\n" for source in functions.values())


def _wrong(name: str, cell: str, *breaks: str, fails: list[str], **replacements: str) -> dict:
    """A wrong answer: ``cell`` with the named functions replaced. It breaks the clauses
    ``breaks`` of the exercise's CONTRACT, so the test cells ``fails`` must fail on one of
    them, and every other test cell pass."""
    return {
        "name": name,
        "cell": cell,
        "source": _cell(cell, **replacements),
        "fails": fails,
        "breaks": list(breaks),
    }


WRONG_ANSWERS: list[dict] = [
    # 1.1 ------------------------------------------------------------------------------
    _wrong(
        "ex1_1 uniform samples (rand) instead of normal (randn)",
        "ex1_1_solution",
        "normal",
        fails=["ex1_1_tests_random"],
        random_normal="""
def random_normal(
    shape: tuple[int, ...], seed: int, device: torch.device | str = "cpu"
) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(shape, generator=generator).to(device)
""",
    ),
    _wrong(
        "ex1_1 two dimensions assumed (randn(shape[0], shape[1]))",
        "ex1_1_solution",
        "normal",
        fails=["ex1_1_tests_random"],
        random_normal="""
def random_normal(
    shape: tuple[int, ...], seed: int, device: torch.device | str = "cpu"
) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(shape[0], shape[1], generator=generator).to(device)
""",
    ),
    _wrong(
        "ex1_1 generator forgotten: draws from the global random state",
        "ex1_1_solution",
        "normal",
        fails=["ex1_1_tests_random"],
        random_normal="""
def random_normal(
    shape: tuple[int, ...], seed: int, device: torch.device | str = "cpu"
) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(shape).to(device)
""",
    ),
    _wrong(
        "ex1_1 the global generator seeded with torch.manual_seed (right numbers, state changed)",
        "ex1_1_solution",
        "global-state",
        fails=["ex1_1_tests_random"],
        random_normal="""
def random_normal(
    shape: tuple[int, ...], seed: int, device: torch.device | str = "cpu"
) -> torch.Tensor:
    torch.manual_seed(seed)
    return torch.randn(shape).to(device)
""",
    ),
    _wrong(
        "ex1_1 numbers drawn directly on the device with the CPU generator",
        "ex1_1_solution",
        "cpu-draw",
        fails=["ex1_1_tests_random"],
        random_normal="""
def random_normal(
    shape: tuple[int, ...], seed: int, device: torch.device | str = "cpu"
) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=generator, device=device)
""",
    ),
    _wrong(
        "ex1_1 a generator on the target device",
        "ex1_1_solution",
        "cpu-draw",
        fails=["ex1_1_tests_random"],
        random_normal="""
def random_normal(
    shape: tuple[int, ...], seed: int, device: torch.device | str = "cpu"
) -> torch.Tensor:
    generator = torch.Generator(device=device).manual_seed(seed)
    return torch.randn(shape, generator=generator, device=device)
""",
    ),
    _wrong(
        "ex1_1 random numbers left on the CPU (device ignored)",
        "ex1_1_solution",
        "device",
        fails=["ex1_1_tests_random"],
        random_normal="""
def random_normal(
    shape: tuple[int, ...], seed: int, device: torch.device | str = "cpu"
) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=generator)
""",
    ),
    _wrong(
        "ex1_1 arange instead of linspace (stops short of 1)",
        "ex1_1_solution",
        "linspace",
        fails=["ex1_1_tests_ranges"],
        unit_linspace="""
def unit_linspace(n: int, device: torch.device | str = "cpu") -> torch.Tensor:
    return torch.arange(0, 1, 1 / n, device=device)
""",
    ),
    _wrong(
        "ex1_1 linspace created on the CPU (device ignored)",
        "ex1_1_solution",
        "device",
        fails=["ex1_1_tests_ranges"],
        unit_linspace="""
def unit_linspace(n: int, device: torch.device | str = "cpu") -> torch.Tensor:
    return torch.linspace(0, 1, n)
""",
    ),
    _wrong(
        "ex1_1 grid reshaped to (cols, rows) (right only when square)",
        "ex1_1_solution",
        "grid",
        fails=["ex1_1_tests_ranges"],
        arange_grid="""
def arange_grid(rows: int, cols: int, device: torch.device | str = "cpu") -> torch.Tensor:
    return torch.arange(rows * cols, device=device).reshape(cols, rows)
""",
    ),
    _wrong(
        "ex1_1 grid from a float arange (float32, not int64)",
        "ex1_1_solution",
        "grid",
        fails=["ex1_1_tests_ranges"],
        arange_grid="""
def arange_grid(rows: int, cols: int, device: torch.device | str = "cpu") -> torch.Tensor:
    return torch.arange(0.0, rows * cols, device=device).reshape(rows, cols)
""",
    ),
    _wrong(
        "ex1_1 identity from numpy.eye (float64)",
        "ex1_1_solution",
        "identity",
        fails=["ex1_1_tests_ranges"],
        identity="""
def identity(n: int, device: torch.device | str = "cpu") -> torch.Tensor:
    import numpy as np

    return torch.tensor(np.eye(n), device=device)
""",
    ),
    _wrong(
        "ex1_1 identity created on the CPU (device ignored)",
        "ex1_1_solution",
        "device",
        fails=["ex1_1_tests_ranges"],
        identity="""
def identity(n: int, device: torch.device | str = "cpu") -> torch.Tensor:
    return torch.eye(n)
""",
    ),
    _wrong(
        "ex1_1 linspace as arange times a float32 step tensor (the last value misses 1 for some n)",
        "ex1_1_solution",
        "linspace",
        fails=["ex1_1_tests_ranges"],
        unit_linspace="""
def unit_linspace(n: int, device: torch.device | str = "cpu") -> torch.Tensor:
    step = torch.tensor(1.0 / (n - 1), device=device)
    return torch.arange(n, device=device) * step
""",
    ),
    _wrong(
        "ex1_1 linspace as a running sum of the steps (rounding drifts away from 1)",
        "ex1_1_solution",
        "linspace",
        fails=["ex1_1_tests_ranges"],
        unit_linspace="""
def unit_linspace(n: int, device: torch.device | str = "cpu") -> torch.Tensor:
    steps = torch.full((n,), 1.0 / (n - 1), device=device)
    steps[0] = 0.0
    return torch.cumsum(steps, dim=0)
""",
    ),
    # 1.2 ------------------------------------------------------------------------------
    _wrong(
        "ex1_2 reshape instead of transpose (right shape, wrong order)",
        "ex1_2_solution",
        "b",
        fails=["ex1_2_tests_values"],
        reshape_steps="""
def reshape_steps(x: torch.Tensor, shape: tuple[int, int, int]):
    B, R, C = shape
    a = x.reshape(B, R, C)
    b = a.reshape(B, C, R)
    c = b.flatten()
    d = c.unsqueeze(0)
    return a, b, c, d
""",
    ),
    _wrong(
        "ex1_2 x reshaped in column-major (MATLAB) order",
        "ex1_2_solution",
        "a",
        fails=["ex1_2_tests_values"],
        reshape_steps="""
def reshape_steps(x: torch.Tensor, shape: tuple[int, int, int]):
    B, R, C = shape
    a = x.reshape(C, R, B).permute(2, 1, 0)
    b = a.transpose(1, 2)
    c = b.flatten()
    d = c.unsqueeze(0)
    return a, b, c, d
""",
    ),
    _wrong(
        "ex1_2 c flattened from a, not from b",
        "ex1_2_solution",
        "c",
        fails=["ex1_2_tests_values"],
        reshape_steps="""
def reshape_steps(x: torch.Tensor, shape: tuple[int, int, int]):
    a = x.reshape(shape)
    b = a.transpose(1, 2)
    c = a.flatten()
    d = c.unsqueeze(0)
    return a, b, c, d
""",
    ),
    _wrong(
        "ex1_2 extra dimension at position 1 (shape (N, 1))",
        "ex1_2_solution",
        "d",
        fails=["ex1_2_tests_values"],
        reshape_steps="""
def reshape_steps(x: torch.Tensor, shape: tuple[int, int, int]):
    a = x.reshape(shape)
    b = a.transpose(1, 2)
    c = b.flatten()
    d = c.unsqueeze(1)
    return a, b, c, d
""",
    ),
    _wrong(
        "ex1_2 a list instead of a tuple",
        "ex1_2_solution",
        "tuple",
        fails=["ex1_2_tests_values", "ex1_2_tests_views"],
        reshape_steps="""
def reshape_steps(x: torch.Tensor, shape: tuple[int, int, int]):
    a = x.reshape(shape)
    b = a.transpose(1, 2)
    c = b.flatten()
    d = c.unsqueeze(0)
    return [a, b, c, d]
""",
    ),
    _wrong(
        "ex1_2 c by b.view(-1) (b is not contiguous: an error)",
        "ex1_2_solution",
        "tuple",
        fails=["ex1_2_tests_values", "ex1_2_tests_views"],
        reshape_steps="""
def reshape_steps(x: torch.Tensor, shape: tuple[int, int, int]):
    a = x.view(shape)
    b = a.transpose(1, 2)
    c = b.view(-1)
    d = c.unsqueeze(0)
    return a, b, c, d
""",
    ),
    _wrong(
        "ex1_2 a cloned to be safe (a copy, not a view of x)",
        "ex1_2_solution",
        "a-view",
        fails=["ex1_2_tests_views"],
        reshape_steps="""
def reshape_steps(x: torch.Tensor, shape: tuple[int, int, int]):
    a = x.reshape(shape).clone()
    b = a.transpose(1, 2)
    c = b.flatten()
    d = c.unsqueeze(0)
    return a, b, c, d
""",
    ),
    _wrong(
        "ex1_2 b made contiguous (a copy, not a view of a)",
        "ex1_2_solution",
        "b-view",
        fails=["ex1_2_tests_views"],
        reshape_steps="""
def reshape_steps(x: torch.Tensor, shape: tuple[int, int, int]):
    a = x.reshape(shape)
    b = a.transpose(1, 2).contiguous()
    c = b.view(-1)
    d = c.unsqueeze(0)
    return a, b, c, d
""",
    ),
    _wrong(
        "ex1_2 d made with torch.stack (a copy, not a view of c)",
        "ex1_2_solution",
        "d-view",
        fails=["ex1_2_tests_views"],
        reshape_steps="""
def reshape_steps(x: torch.Tensor, shape: tuple[int, int, int]):
    a = x.reshape(shape)
    b = a.transpose(1, 2)
    c = b.flatten()
    d = torch.stack([c])
    return a, b, c, d
""",
    ),
    # 1.3 ------------------------------------------------------------------------------
    _wrong(
        "ex1_3 column made of v instead of u (transposed table)",
        "ex1_3_solution",
        "addition",
        fails=["ex1_3_tests_tables"],
        addition_table="""
def addition_table(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return u + v.unsqueeze(1)
""",
    ),
    _wrong(
        "ex1_3 outer as an elementwise product u * v",
        "ex1_3_solution",
        "outer",
        fails=["ex1_3_tests_tables"],
        outer="""
def outer(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return u * v
""",
    ),
    _wrong(
        "ex1_3 outer with v as the column (transposed)",
        "ex1_3_solution",
        "outer",
        fails=["ex1_3_tests_tables"],
        outer="""
def outer(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return v[:, None] * u[None, :]
""",
    ),
    _wrong(
        "ex1_3 table started from torch.zeros (float32 on the CPU)",
        "ex1_3_solution",
        "dtype-device",
        fails=["ex1_3_tests_tables"],
        addition_table="""
def addition_table(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    table = torch.zeros(len(u), len(v))
    return table + u[:, None] + v[None, :]
""",
    ),
    _wrong(
        "ex1_3 addition table row by row (a comprehension)",
        "ex1_3_solution",
        "no-loops",
        fails=["ex1_3_tests_tables"],
        addition_table="""
def addition_table(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return torch.stack([u_i + v for u_i in u])
""",
    ),
    _wrong(
        "ex1_3 outer with both operands expanded by hand",
        "ex1_3_solution",
        "no-stretch",
        fails=["ex1_3_tests_tables"],
        outer="""
def outer(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    m, n = len(u), len(v)
    return u[:, None].expand(m, n) * v[None, :].expand(m, n)
""",
    ),
    _wrong(
        "ex1_3 outer by torch.outer",
        "ex1_3_solution",
        "no-stretch",
        fails=["ex1_3_tests_tables"],
        outer="""
def outer(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return torch.outer(u, v)
""",
    ),
    _wrong(
        "ex1_3 addition table with repeat",
        "ex1_3_solution",
        "no-stretch",
        fails=["ex1_3_tests_tables"],
        addition_table="""
def addition_table(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return u.unsqueeze(1).repeat(1, len(v)) + v.repeat(len(u), 1)
""",
    ),
    _wrong(
        "ex1_3 mean reshaped for exactly 3 channels (passes the visible tests only)",
        "ex1_3_solution",
        "channels",
        fails=["ex1_3_tests_channels"],
        subtract_channel_mean="""
def subtract_channel_mean(images: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    return images - mean.view(1, 3, 1, 1)
""",
    ),
    _wrong(
        "ex1_3 mean not reshaped (aligned with the width, not the channels)",
        "ex1_3_solution",
        "channels",
        fails=["ex1_3_tests_channels"],
        subtract_channel_mean="""
def subtract_channel_mean(images: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    return images - mean
""",
    ),
    _wrong(
        "ex1_3 in-place subtraction modifies the images",
        "ex1_3_solution",
        "new",
        fails=["ex1_3_tests_channels"],
        subtract_channel_mean="""
def subtract_channel_mean(images: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    images -= mean.view(-1, 1, 1)
    return images
""",
    ),
    _wrong(
        "ex1_3 mean reshaped in place with unsqueeze_ (changes the caller's mean)",
        "ex1_3_solution",
        "new",
        fails=["ex1_3_tests_channels"],
        subtract_channel_mean="""
def subtract_channel_mean(images: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    mean.unsqueeze_(-1).unsqueeze_(-1)
    return images - mean
""",
    ),
    _wrong(
        "ex1_3 result allocated with torch.zeros(images.shape) (float32 on the CPU)",
        "ex1_3_solution",
        "dtype-device",
        fails=["ex1_3_tests_channels"],
        subtract_channel_mean="""
def subtract_channel_mean(images: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    result = torch.zeros(images.shape)
    result[:] = images - mean[:, None, None]
    return result
""",
    ),
    _wrong(
        "ex1_3 channels one by one, then stacked",
        "ex1_3_solution",
        "no-loops",
        fails=["ex1_3_tests_channels"],
        subtract_channel_mean="""
def subtract_channel_mean(images: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    channels = [images[:, c] - mean[c] for c in range(images.shape[1])]
    return torch.stack(channels, dim=1)
""",
    ),
    _wrong(
        "ex1_3 mean expanded to the images' shape by hand",
        "ex1_3_solution",
        "no-stretch",
        fails=["ex1_3_tests_channels"],
        subtract_channel_mean="""
def subtract_channel_mean(images: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    return images - mean.view(1, -1, 1, 1).expand_as(images)
""",
    ),
    _wrong(
        "ex1_3 mean cast to float32 (float64 images lose digits, int64 images give float32)",
        "ex1_3_solution",
        "channels",
        "dtype-device",
        fails=["ex1_3_tests_channels"],
        subtract_channel_mean="""
def subtract_channel_mean(images: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    return images - mean.float().view(1, -1, 1, 1)
""",
    ),
    _wrong(
        "ex1_3 computed in float32, cast back to the images' dtype (float64 loses digits)",
        "ex1_3_solution",
        "channels",
        fails=["ex1_3_tests_channels"],
        subtract_channel_mean="""
def subtract_channel_mean(images: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    result = images.float() - mean.float()[:, None, None]
    return result.to(images.dtype)
""",
    ),
    _wrong(
        "ex1_3 outer computed in float32, cast back to the inputs' dtype (float64 loses digits)",
        "ex1_3_solution",
        "outer",
        fails=["ex1_3_tests_tables"],
        outer="""
def outer(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return (u.float()[:, None] * v.float()[None, :]).to(u.dtype)
""",
    ),
    # 1.4 ------------------------------------------------------------------------------
    _wrong(
        "ex1_4 non-negative instead of positive first entry (>= 0)",
        "ex1_4_solution",
        "positive-first",
        fails=["ex1_4_tests_rows"],
        rows_with_positive_first="""
def rows_with_positive_first(x: torch.Tensor) -> torch.Tensor:
    return x[x[:, 0] >= 0]
""",
    ),
    _wrong(
        "ex1_4 indices from nonzero().squeeze() (one qualifying row loses its dimension)",
        "ex1_4_solution",
        "positive-first",
        fails=["ex1_4_tests_rows"],
        rows_with_positive_first="""
def rows_with_positive_first(x: torch.Tensor) -> torch.Tensor:
    return x[torch.nonzero(x[:, 0] > 0).squeeze()]
""",
    ),
    _wrong(
        "ex1_4 qualifying rows stacked from a list (fails when there are none)",
        "ex1_4_solution",
        "positive-first",
        fails=["ex1_4_tests_rows"],
        rows_with_positive_first="""
def rows_with_positive_first(x: torch.Tensor) -> torch.Tensor:
    return torch.stack([row for row in x if row[0] > 0])
""",
    ),
    _wrong(
        "ex1_4 qualifying rows rebuilt with torch.tensor from lists (float32 on the CPU)",
        "ex1_4_solution",
        "dtype-device",
        fails=["ex1_4_tests_rows"],
        rows_with_positive_first="""
def rows_with_positive_first(x: torch.Tensor) -> torch.Tensor:
    return torch.tensor([row.tolist() for row in x if row[0] > 0])
""",
    ),
    _wrong(
        "ex1_4 odd rows (slice starting at 1)",
        "ex1_4_solution",
        "even",
        fails=["ex1_4_tests_rows"],
        even_rows="""
def even_rows(x: torch.Tensor) -> torch.Tensor:
    return x[1::2]
""",
    ),
    _wrong(
        "ex1_4 even rows by reshaping into pairs (fails for an odd number of rows)",
        "ex1_4_solution",
        "even",
        fails=["ex1_4_tests_rows"],
        even_rows="""
def even_rows(x: torch.Tensor) -> torch.Tensor:
    return x.reshape(-1, 2, x.shape[1])[:, 0]
""",
    ),
    _wrong(
        "ex1_4 maximum over the wrong dimension (columns, not rows)",
        "ex1_4_solution",
        "values",
        fails=["ex1_4_tests_max"],
        row_max="""
def row_max(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    values, indices = torch.max(x, dim=0)
    return values, indices
""",
    ),
    _wrong(
        "ex1_4 sorted rows: value from the end, index from the start",
        "ex1_4_solution",
        "indices",
        fails=["ex1_4_tests_max"],
        row_max="""
def row_max(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    ordered = torch.sort(x, dim=1)
    return ordered.values[:, -1], ordered.indices[:, 0]
""",
    ),
    _wrong(
        "ex1_4 row_max returns a list",
        "ex1_4_solution",
        "tuple",
        fails=["ex1_4_tests_max"],
        row_max="""
def row_max(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return [x.max(dim=1).values, x.argmax(dim=1)]
""",
    ),
    _wrong(
        "ex1_4 row maxima collected with .item() (float32 on the CPU)",
        "ex1_4_solution",
        "dtype-device",
        fails=["ex1_4_tests_max"],
        row_max="""
def row_max(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    values = torch.tensor([row.max().item() for row in x])
    indices = torch.tensor([row.argmax().item() for row in x])
    return values, indices
""",
    ),
    _wrong(
        "ex1_4 clamp with a mask assignment on the input itself (modifies x)",
        "ex1_4_solution",
        "new",
        fails=["ex1_4_tests_clamp"],
        clamp_negatives="""
def clamp_negatives(x: torch.Tensor) -> torch.Tensor:
    x[x < 0] = 0
    return x
""",
    ),
    _wrong(
        "ex1_4 a comparison instead of an assignment (out[out < 0] == 0)",
        "ex1_4_solution",
        "mask",  # the mask is applied nowhere: the grader reads this first
        "clamp",
        fails=["ex1_4_tests_clamp"],
        clamp_negatives="""
def clamp_negatives(x: torch.Tensor) -> torch.Tensor:
    out = x.clone()
    out[out < 0] == 0
    return out
""",
    ),
    _wrong(
        "ex1_4 the copy made with x.float() (float32 whatever the dtype of x)",
        "ex1_4_solution",
        "dtype-device",
        fails=["ex1_4_tests_clamp"],
        clamp_negatives="""
def clamp_negatives(x: torch.Tensor) -> torch.Tensor:
    out = x.float().clone()
    out[out < 0] = 0
    return out
""",
    ),
    _wrong(
        "ex1_4 maxima squeezed from keepdim=True (a single row loses its dimension)",
        "ex1_4_solution",
        "values",
        fails=["ex1_4_tests_max"],
        row_max="""
def row_max(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    values, indices = x.max(dim=1, keepdim=True)
    return values.squeeze(), indices.squeeze()
""",
    ),
    _wrong(
        "ex1_4 clamp(min=0) instead of a mask",
        "ex1_4_solution",
        "mask",
        fails=["ex1_4_tests_clamp"],
        clamp_negatives="""
def clamp_negatives(x: torch.Tensor) -> torch.Tensor:
    return x.clamp(min=0)
""",
    ),
    _wrong(
        "ex1_4 torch.relu instead of a mask",
        "ex1_4_solution",
        "mask",
        fails=["ex1_4_tests_clamp"],
        clamp_negatives="""
def clamp_negatives(x: torch.Tensor) -> torch.Tensor:
    return torch.relu(x)
""",
    ),
    _wrong(
        "ex1_4 clamp by the formula (x + |x|) / 2 (no mask)",
        "ex1_4_solution",
        "mask",
        fails=["ex1_4_tests_clamp"],
        clamp_negatives="""
def clamp_negatives(x: torch.Tensor) -> torch.Tensor:
    return (x + x.abs()) / 2
""",
    ),
    _wrong(
        "ex1_4 out[x < 0].zero_() on a copy (zeroes the copy that indexing made, not out)",
        "ex1_4_solution",
        "mask",
        fails=["ex1_4_tests_clamp"],
        clamp_negatives="""
def clamp_negatives(x: torch.Tensor) -> torch.Tensor:
    out = x.clone()
    out[x < 0].zero_()
    return out
""",
    ),
    # 1.5 ------------------------------------------------------------------------------
    _wrong(
        "ex1_5 squared distances (no square root)",
        "ex1_5_solution",
        "distances",
        fails=["ex1_5_tests_distances"],
        pairwise_distances="""
def pairwise_distances(X: torch.Tensor) -> torch.Tensor:
    diff = X.unsqueeze(1) - X.unsqueeze(0)
    return (diff**2).sum(dim=-1)
""",
    ),
    _wrong(
        "ex1_5 nearest neighbour of each point is itself (diagonal not excluded)",
        "ex1_5_solution",
        "neighbours",
        fails=["ex1_5_tests_neighbours"],
        nearest_neighbors="""
def nearest_neighbors(X: torch.Tensor) -> torch.Tensor:
    return pairwise_distances(X).argmin(dim=1)
""",
    ),
    _wrong(
        "ex1_5 distances through X @ X.T without clamping (NaN, imprecise for near points)",
        "ex1_5_solution",
        "distances",
        "neighbours",
        fails=["ex1_5_tests_distances", "ex1_5_tests_neighbours"],
        pairwise_distances="""
def pairwise_distances(X: torch.Tensor) -> torch.Tensor:
    sq = (X**2).sum(dim=1)
    return (sq[:, None] + sq[None, :] - 2 * X @ X.T).sqrt()
""",
    ),
    _wrong(
        "ex1_5 distances through X @ X.T, clamped at 0 (imprecise for points that almost coincide)",
        "ex1_5_solution",
        "distances",
        fails=["ex1_5_tests_distances"],
        pairwise_distances="""
def pairwise_distances(X: torch.Tensor) -> torch.Tensor:
    sq = (X**2).sum(dim=1)
    return (sq[:, None] + sq[None, :] - 2 * X @ X.T).clamp_min(0).sqrt()
""",
    ),
    _wrong(
        "ex1_5 self excluded by masking zero distances (fails for coinciding points)",
        "ex1_5_solution",
        "neighbours",
        fails=["ex1_5_tests_neighbours"],
        nearest_neighbors="""
def nearest_neighbors(X: torch.Tensor) -> torch.Tensor:
    D = pairwise_distances(X)
    D[D == 0] = float("inf")
    return D.argmin(dim=1)
""",
    ),
    _wrong(
        "ex1_5 second-nearest via topk (returns the point itself when points coincide)",
        "ex1_5_solution",
        "neighbours",
        fails=["ex1_5_tests_neighbours"],
        nearest_neighbors="""
def nearest_neighbors(X: torch.Tensor) -> torch.Tensor:
    return pairwise_distances(X).topk(2, largest=False).indices[:, 1]
""",
    ),
    _wrong(
        "ex1_5 torch.cdist instead of the broadcast differences",
        "ex1_5_solution",
        "no-cdist",
        fails=["ex1_5_tests_distances", "ex1_5_tests_neighbours"],
        pairwise_distances="""
def pairwise_distances(X: torch.Tensor) -> torch.Tensor:
    return torch.cdist(X, X, compute_mode="donot_use_mm_for_euclid_dist")
""",
    ),
    _wrong(
        "ex1_5 a loop over the rows",
        "ex1_5_solution",
        "no-loops",
        fails=["ex1_5_tests_distances", "ex1_5_tests_neighbours"],
        pairwise_distances="""
def pairwise_distances(X: torch.Tensor) -> torch.Tensor:
    rows = [torch.linalg.vector_norm(X - x, dim=1) for x in X]
    return torch.stack(rows)
""",
    ),
    _wrong(
        "ex1_5 the diagonal mask built on the CPU (fails on any other device)",
        "ex1_5_solution",
        "dtype-device",
        fails=["ex1_5_tests_neighbours"],
        nearest_neighbors="""
def nearest_neighbors(X: torch.Tensor) -> torch.Tensor:
    D = pairwise_distances(X)
    D = D.masked_fill(torch.eye(len(X), dtype=torch.bool), float("inf"))
    return D.argmin(dim=1)
""",
    ),
    _wrong(
        "ex1_5 distances always returned in float32",
        "ex1_5_solution",
        "dtype-device",
        fails=["ex1_5_tests_distances"],
        pairwise_distances="""
def pairwise_distances(X: torch.Tensor) -> torch.Tensor:
    diff = X.float().unsqueeze(1) - X.float().unsqueeze(0)
    return (diff**2).sum(dim=-1).sqrt()
""",
    ),
    _wrong(
        "ex1_5 X centred in place first (changes the caller's X)",
        "ex1_5_solution",
        "unchanged",
        fails=["ex1_5_tests_distances", "ex1_5_tests_neighbours"],
        pairwise_distances="""
def pairwise_distances(X: torch.Tensor) -> torch.Tensor:
    X -= X.mean(dim=0)  # distances do not change when every point moves by the same vector
    diff = X.unsqueeze(1) - X.unsqueeze(0)
    return (diff**2).sum(dim=-1).sqrt()
""",
    ),
    _wrong(
        "ex1_5 indices as int32",
        "ex1_5_solution",
        "dtype-device",
        fails=["ex1_5_tests_neighbours"],
        nearest_neighbors="""
def nearest_neighbors(X: torch.Tensor) -> torch.Tensor:
    D = pairwise_distances(X).fill_diagonal_(float("inf"))
    return D.argmin(dim=1).int()
""",
    ),
    _wrong(
        "ex1_5 a large constant (1e3) on the diagonal instead of inf (fails for far-apart points)",
        "ex1_5_solution",
        "neighbours",
        fails=["ex1_5_tests_neighbours"],
        nearest_neighbors="""
def nearest_neighbors(X: torch.Tensor) -> torch.Tensor:
    D = pairwise_distances(X)
    D.fill_diagonal_(1e3)  # larger than any distance in my examples
    return D.argmin(dim=1)
""",
    ),
    _wrong(
        "ex1_5 1e4 times the identity added to the distances (fails for far-apart points)",
        "ex1_5_solution",
        "neighbours",
        fails=["ex1_5_tests_neighbours"],
        nearest_neighbors="""
def nearest_neighbors(X: torch.Tensor) -> torch.Tensor:
    D = pairwise_distances(X)
    D = D + 1e4 * torch.eye(len(X), dtype=X.dtype, device=X.device)
    return D.argmin(dim=1)
""",
    ),
    _wrong(
        "ex1_5 plain torch.cdist (the X @ X.T shortcut: both forbidden and imprecise)",
        "ex1_5_solution",
        "no-cdist",
        fails=["ex1_5_tests_distances", "ex1_5_tests_neighbours"],
        pairwise_distances="""
def pairwise_distances(X: torch.Tensor) -> torch.Tensor:
    return torch.cdist(X, X)
""",
    ),
    # 1.6 ------------------------------------------------------------------------------
    _wrong(
        "ex1_6 pick_device returns a string, not a torch.device",
        "ex1_6_solution",
        "type",
        fails=["ex1_6_tests_pick"],
        pick_device="""
def pick_device(prefer_gpu: bool = True) -> torch.device:
    return "cuda" if prefer_gpu and torch.cuda.is_available() else "cpu"
""",
    ),
    _wrong(
        "ex1_6 pick_device ignores whether CUDA is available",
        "ex1_6_solution",
        "choice",
        fails=["ex1_6_tests_pick"],
        pick_device="""
def pick_device(prefer_gpu: bool = True) -> torch.device:
    return torch.device("cuda" if prefer_gpu else "cpu")
""",
    ),
    _wrong(
        "ex1_6 pick_device ignores prefer_gpu",
        "ex1_6_solution",
        "choice",
        fails=["ex1_6_tests_pick"],
        pick_device="""
def pick_device(prefer_gpu: bool = True) -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
""",
    ),
    _wrong(
        "ex1_6 product computed where a and b are (device ignored)",
        "ex1_6_solution",
        "on-device",
        fails=["ex1_6_tests_matmul"],
        matmul_on="""
def matmul_on(a: torch.Tensor, b: torch.Tensor, device: torch.device | str) -> torch.Tensor:
    return a @ b
""",
    ),
    _wrong(
        "ex1_6 only a moved to the device",
        "ex1_6_solution",
        "on-device",
        fails=["ex1_6_tests_matmul"],
        matmul_on="""
def matmul_on(a: torch.Tensor, b: torch.Tensor, device: torch.device | str) -> torch.Tensor:
    return (a.to(device) @ b).to(a.device)
""",
    ),
    _wrong(
        "ex1_6 result left on the device (not moved back)",
        "ex1_6_solution",
        "home",
        fails=["ex1_6_tests_matmul"],
        matmul_on="""
def matmul_on(a: torch.Tensor, b: torch.Tensor, device: torch.device | str) -> torch.Tensor:
    return a.to(device) @ b.to(device)
""",
    ),
    _wrong(
        "ex1_6 result always brought back to the CPU",
        "ex1_6_solution",
        "home",
        fails=["ex1_6_tests_matmul"],
        matmul_on="""
def matmul_on(a: torch.Tensor, b: torch.Tensor, device: torch.device | str) -> torch.Tensor:
    return (a.to(device) @ b.to(device)).cpu()
""",
    ),
    _wrong(
        "ex1_6 elementwise product instead of the matrix product",
        "ex1_6_solution",
        "product",
        fails=["ex1_6_tests_matmul"],
        matmul_on="""
def matmul_on(a: torch.Tensor, b: torch.Tensor, device: torch.device | str) -> torch.Tensor:
    return (a.to(device) * b.to(device)).to(a.device)
""",
    ),
    _wrong(
        "ex1_6 product computed in float32 (a float64 result loses digits)",
        "ex1_6_solution",
        "product",
        fails=["ex1_6_tests_matmul"],
        matmul_on="""
def matmul_on(a: torch.Tensor, b: torch.Tensor, device: torch.device | str) -> torch.Tensor:
    result = a.to(device, torch.float32) @ b.to(device, torch.float32)
    return result.to(a.device, a.dtype)
""",
    ),
    _wrong(
        "ex1_6 timing matrices created on the CPU whatever the device",
        "ex1_6_solution",
        "products",
        fails=["ex1_6_tests_timing"],
        time_matmul="""
def time_matmul(n: int, device: torch.device | str, repeats: int = 10) -> float:
    device = torch.device(device)
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    a @ b
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    if device.type == "cuda":
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / repeats
""",
    ),
    _wrong(
        "ex1_6 no warm-up multiplication",
        "ex1_6_solution",
        "products",
        fails=["ex1_6_tests_timing"],
        time_matmul="""
def time_matmul(n: int, device: torch.device | str, repeats: int = 10) -> float:
    device = torch.device(device)
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    if device.type == "cuda":
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / repeats
""",
    ),
    _wrong(
        "ex1_6 the total time, not the average",
        "ex1_6_solution",
        "average",
        fails=["ex1_6_tests_timing"],
        time_matmul="""
def time_matmul(n: int, device: torch.device | str, repeats: int = 10) -> float:
    device = torch.device(device)
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    a @ b
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    if device.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start
""",
    ),
    _wrong(
        "ex1_6 the average in milliseconds",
        "ex1_6_solution",
        "average",
        fails=["ex1_6_tests_timing"],
        time_matmul="""
def time_matmul(n: int, device: torch.device | str, repeats: int = 10) -> float:
    device = torch.device(device)
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    a @ b
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    if device.type == "cuda":
        torch.cuda.synchronize()
    return 1000 * (time.perf_counter() - start) / repeats
""",
    ),
    _wrong(
        "ex1_6 the average as a one-element tensor",
        "ex1_6_solution",
        "float",
        fails=["ex1_6_tests_timing"],
        time_matmul="""
def time_matmul(n: int, device: torch.device | str, repeats: int = 10) -> float:
    device = torch.device(device)
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    a @ b
    times = []
    for _ in range(repeats):
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        a @ b
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return torch.tensor(times).mean()
""",
    ),
    _wrong(
        "ex1_6 no torch.cuda.synchronize()",
        "ex1_6_solution",
        "sync",
        fails=["ex1_6_tests_timing"],
        time_matmul="""
def time_matmul(n: int, device: torch.device | str, repeats: int = 10) -> float:
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    a @ b
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return (time.perf_counter() - start) / repeats
""",
    ),
    _wrong(
        "ex1_6 torch.cuda.synchronize() whatever the device (fails without a GPU)",
        "ex1_6_solution",
        "sync",
        fails=["ex1_6_tests_timing"],
        time_matmul="""
def time_matmul(n: int, device: torch.device | str, repeats: int = 10) -> float:
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    a @ b
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    torch.cuda.synchronize()
    return (time.perf_counter() - start) / repeats
""",
    ),
    _wrong(
        "ex1_6 result moved to the device of b, not of a",
        "ex1_6_solution",
        "home",
        fails=["ex1_6_tests_matmul"],
        matmul_on="""
def matmul_on(a: torch.Tensor, b: torch.Tensor, device: torch.device | str) -> torch.Tensor:
    return (a.to(device) @ b.to(device)).to(b.device)
""",
    ),
    _wrong(
        "ex1_6 nothing moved when a is already on the device (b left where it is)",
        "ex1_6_solution",
        "on-device",
        fails=["ex1_6_tests_matmul"],
        matmul_on="""
def matmul_on(a: torch.Tensor, b: torch.Tensor, device: torch.device | str) -> torch.Tensor:
    if a.device == torch.device(device):
        return a @ b
    return (a.to(device) @ b.to(device)).to(a.device)
""",
    ),
    _wrong(
        "ex1_6 timed with time.time() instead of time.perf_counter()",
        "ex1_6_solution",
        "clock",
        fails=["ex1_6_tests_timing"],
        time_matmul="""
def time_matmul(n: int, device: torch.device | str, repeats: int = 10) -> float:
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    a @ b
    if torch.device(device).type == "cuda":
        torch.cuda.synchronize()
    start = time.time()
    for _ in range(repeats):
        a @ b
    if torch.device(device).type == "cuda":
        torch.cuda.synchronize()
    return (time.time() - start) / repeats
""",
    ),
    _wrong(
        "ex1_6 timed with time.process_time() (CPU time, not wall time)",
        "ex1_6_solution",
        "clock",
        fails=["ex1_6_tests_timing"],
        time_matmul="""
def time_matmul(n: int, device: torch.device | str, repeats: int = 10) -> float:
    device = torch.device(device)
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    a @ b
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.process_time()
    for _ in range(repeats):
        a @ b
    if device.type == "cuda":
        torch.cuda.synchronize()
    return (time.process_time() - start) / repeats
""",
    ),
    _wrong(
        "ex1_6 the warm-up timed as the first of repeats + 1 products",
        "ex1_6_solution",
        "warm-up",
        fails=["ex1_6_tests_timing"],
        time_matmul="""
def time_matmul(n: int, device: torch.device | str, repeats: int = 10) -> float:
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    cuda = torch.device(device).type == "cuda"
    if cuda:
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats + 1):  # the first one is the warm-up
        a @ b
    if cuda:
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / (repeats + 1)
""",
    ),
    _wrong(
        "ex1_6 the clock started before the warm-up (the warm-up is timed too)",
        "ex1_6_solution",
        "warm-up",
        fails=["ex1_6_tests_timing"],
        time_matmul="""
def time_matmul(n: int, device: torch.device | str, repeats: int = 10) -> float:
    device = torch.device(device)
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    start = time.perf_counter()
    a @ b  # warm-up
    if device.type == "cuda":
        torch.cuda.synchronize()
    for _ in range(repeats):
        a @ b
    if device.type == "cuda":
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / repeats
""",
    ),
]
