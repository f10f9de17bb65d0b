"""Plausible wrong answers to the Chapter 1 exercises: tests of the tests.

Each entry replaces one solution cell of ``solutions/ch01/ch01_exercises.ipynb`` with what a
student might submit: the same functions, one of them with a plausible mistake. Grading the
notebook with that cell must make exactly the test cells in ``fails`` lose their points,
while every other test cell keeps them.

The cells are put together from the correct functions below, with one function replaced,
so that each entry shows only its mistake.
"""

from __future__ import annotations

# The correct functions of each solution cell, as a student would write them.
_CORRECT: dict[str, dict[str, str]] = {
    "ex1_1_solution": {
        "random_normal": """
def random_normal(shape: tuple[int, ...], seed: int, device: torch.device | str = "cpu") -> torch.Tensor:
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


def _wrong(
    name: str, cell: str, *breaks: str, fails: list[str] | None = None, **replacements: str
) -> dict:
    """A wrong answer: ``cell`` with the named functions replaced. It breaks the clauses
    ``breaks`` of the exercise's CONTRACT, so the test cells ``fails`` (default: the
    exercise's one test cell) must fail on one of them, and every other cell pass."""
    test_cell = cell.replace("_solution", "_tests")
    source = _cell(cell, **replacements)
    entry = {"name": name, "cell": cell, "source": source, "fails": fails or [test_cell]}
    if breaks:
        entry["breaks"] = list(breaks)
    return entry


WRONG_ANSWERS: list[dict] = [
    # 1.1 ------------------------------------------------------------------------------
    _wrong(
        "ex1_1 arange instead of linspace (stops short of 1)",
        "ex1_1_solution",
        unit_linspace="""
def unit_linspace(n: int, device: torch.device | str = "cpu") -> torch.Tensor:
    return torch.arange(0, 1, 1 / n, device=device)
""",
    ),
    _wrong(
        "ex1_1 uniform samples (rand) instead of normal (randn)",
        "ex1_1_solution",
        random_normal="""
def random_normal(shape: tuple[int, ...], seed: int, device: torch.device | str = "cpu") -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(shape, generator=generator).to(device)
""",
    ),
    # 1.2 ------------------------------------------------------------------------------
    _wrong(
        "ex1_2 reshape instead of transpose (right shape, wrong order)",
        "ex1_2_solution",
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
    # 1.3 ------------------------------------------------------------------------------
    _wrong(
        "ex1_3 mean reshaped for exactly 3 channels (passes the visible tests only)",
        "ex1_3_solution",
        subtract_channel_mean="""
def subtract_channel_mean(images: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    return images - mean.view(1, 3, 1, 1)
""",
    ),
    _wrong(
        "ex1_3 mean not reshaped (aligned with the width, not the channels)",
        "ex1_3_solution",
        subtract_channel_mean="""
def subtract_channel_mean(images: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    return images - mean
""",
    ),
    _wrong(
        "ex1_3 in-place subtraction modifies the images",
        "ex1_3_solution",
        subtract_channel_mean="""
def subtract_channel_mean(images: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    images -= mean.view(-1, 1, 1)
    return images
""",
    ),
    _wrong(
        "ex1_3 column made of v instead of u (transposed table)",
        "ex1_3_solution",
        addition_table="""
def addition_table(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return u + v.unsqueeze(1)
""",
    ),
    # 1.4 ------------------------------------------------------------------------------
    _wrong(
        "ex1_4 clamp with a mask assignment on the input itself (modifies x)",
        "ex1_4_solution",
        clamp_negatives="""
def clamp_negatives(x: torch.Tensor) -> torch.Tensor:
    x[x < 0] = 0
    return x
""",
    ),
    _wrong(
        "ex1_4 maximum over the wrong dimension (columns, not rows)",
        "ex1_4_solution",
        row_max="""
def row_max(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    values, indices = torch.max(x, dim=0)
    return values, indices
""",
    ),
    _wrong(
        "ex1_4 non-negative instead of positive first entry (>= 0)",
        "ex1_4_solution",
        rows_with_positive_first="""
def rows_with_positive_first(x: torch.Tensor) -> torch.Tensor:
    return x[x[:, 0] >= 0]
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
    # 1.6 ------------------------------------------------------------------------------
    _wrong(
        "ex1_6 timing matrices created on the CPU whatever the device",
        "ex1_6_solution",
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
        "ex1_6 pick_device returns a string, not a torch.device",
        "ex1_6_solution",
        pick_device="""
def pick_device(prefer_gpu: bool = True) -> torch.device:
    return "cuda" if prefer_gpu and torch.cuda.is_available() else "cpu"
""",
    ),
]
