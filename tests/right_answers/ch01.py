"""Correct answers to the Chapter 1 exercises, written the way other students would.

Each entry replaces one solution cell of ``solutions/ch01/ch01_exercises.ipynb``; every test
cell the answer reaches must keep its points (see autograder/corpus.py). They vary what the
statements leave open: another formula, another function, float64 inside, views or copies
where either is allowed.
"""

from __future__ import annotations

RIGHT_ANSWERS: list[dict] = [
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
]
