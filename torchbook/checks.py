"""Assertions with readable feedback, for the visible and hidden tests of the exercises.

Every check raises :class:`AssertionError` with a message that names what was checked,
what was expected and what came back, for example::

    >>> check_tensor(torch.zeros(3, 2), torch.zeros(3, 3), name="pairwise_distances(X)")
    Traceback (most recent call last):
    AssertionError: pairwise_distances(X): expected shape (3, 3), got (3, 2)

The checks a test needs most often:

- :func:`check_tensor` compares a result with the expected tensor: type, shape, dtype,
  device, then values (NaN-aware, on the CPU, with tolerances that follow the dtype).
- :func:`check_shape`, :func:`check_dtype`, :func:`check_device` check one property.
- :func:`check_close` compares a Python number (or a 0-dim tensor) with the expected one.
- :func:`check_type` checks the type of a returned value (a tuple, a float, ...).
- :func:`check_unchanged` checks that a function did not modify its input in place.
- :func:`check_view` checks that a result shares memory with a tensor (a view, not a copy).
- :func:`check_true` asserts a condition with a message of the test's own.

Misuse by the test's author (say, an expected value that is not a tensor) raises
:class:`TypeError`, so that it cannot be mistaken for a student's error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch

__all__ = [
    "check_close",
    "check_device",
    "check_dtype",
    "check_shape",
    "check_tensor",
    "check_true",
    "check_type",
    "check_unchanged",
    "check_view",
]

# Default tolerances by dtype (the same as torch.testing.assert_close). Integer and bool
# tensors are always compared exactly.
_TOLERANCES: dict[torch.dtype, tuple[float, float]] = {
    torch.float16: (1e-3, 1e-5),
    torch.bfloat16: (1.6e-2, 1e-5),
    torch.float32: (1.3e-6, 1e-5),
    torch.float64: (1e-7, 1e-7),
    torch.complex64: (1.3e-6, 1e-5),
    torch.complex128: (1e-7, 1e-7),
}
# float32 results from a CUDA device whose convolutions, recurrent layers or matmuls may run
# in TF32 (a 10-bit mantissa; PyTorch's defaults use it for cuDNN convolutions and RNNs):
# the precision PyTorch's own tests allow for TF32 results.
_TF32_TOLERANCES = (5e-3, 5e-3)
_SMALL = 16  # tensors with at most this many elements are printed whole
_SAMPLES = 5  # how many mismatching entries a message lists
_NONE_HINT = " (does the function end with `return ...`?)"


# --------------------------------------------------------------------------- formatting


def _class_name(cls: type) -> str:
    """``float``, ``torch.Tensor``, ``torch.device``, ``numpy.ndarray``: as a student writes it."""
    if issubclass(cls, torch.Tensor):
        return "torch.Tensor"
    module = cls.__module__
    return (
        cls.__qualname__ if module == "builtins" else f"{module.split('.')[0]}.{cls.__qualname__}"
    )


def _type_name(value: Any) -> str:
    return _class_name(type(value))


def _shape(shape: Sequence[int]) -> str:
    """``(3, 4)``, ``(5,)`` or ``()``, never ``torch.Size([3, 4])``."""
    return str(tuple(int(n) for n in shape))


def _number(value: Any, digits: int = 6) -> str:
    """A short rendering of one entry, with ``digits`` significant digits."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    if isinstance(value, complex):
        return f"({value.real:.{digits}g}{value.imag:+.{digits}g}j)"
    return str(value)


def _digits(*pairs: tuple[Any, Any]) -> int:
    """The fewest significant digits (6 at least, 17 at most) that show every pair of
    different numbers as different: never "expected 4.66785, got 4.66785"."""
    for digits in range(6, 18):
        if all(_number(a, digits) != _number(b, digits) for a, b in pairs if a != b):
            return digits
    return 17


def _pair(expected: Any, got: Any) -> tuple[str, str]:
    digits = _digits((expected, got))
    return _number(expected, digits), _number(got, digits)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _index(index: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(i) for i in index) + ("," if len(index) == 1 else "") + ")"


def _tensor_text(t: torch.Tensor) -> str:
    return "    " + str(t).replace("\n", "\n    ")


def _not_a_tensor(got: Any, name: str) -> str:
    if got is None:
        return f"{name}: expected a torch.Tensor, got None{_NONE_HINT}"
    message = f"{name}: expected a torch.Tensor, got {_type_name(got)}"
    if isinstance(got, tuple | list) and len(got) <= 4:
        message += f" of length {len(got)}"
    return message


def _require_tensor(got: Any, name: str) -> torch.Tensor:
    """``got`` as a plain tensor: a subclass (``nn.Parameter``, or one whose
    ``__torch_function__`` makes comparisons lie) is checked on its data, as a plain tensor."""
    if not isinstance(got, torch.Tensor):
        raise AssertionError(_not_a_tensor(got, name))
    if type(got) is not torch.Tensor:
        with torch._C.DisableTorchFunctionSubclass():
            got = got.as_subclass(torch.Tensor)
    return got


def tf32_in_use() -> bool:
    """Whether float32 matmuls, cuDNN convolutions or RNNs on CUDA may run in TF32."""
    cudnn = torch.backends.cudnn
    settings = [
        getattr(torch.backends.cuda.matmul, "fp32_precision", None),
        getattr(getattr(cudnn, "conv", None), "fp32_precision", None),
        getattr(getattr(cudnn, "rnn", None), "fp32_precision", None),
    ]
    return "tf32" in settings or bool(torch.backends.cuda.matmul.allow_tf32)


def default_tolerances(dtype: torch.dtype, on_cuda: bool, tf32: bool) -> tuple[float, float]:
    """(rtol, atol) for comparing values of ``dtype``: those of torch.testing.assert_close,
    or TF32's for float32 values computed on CUDA while TF32 is in use."""
    if dtype == torch.float32 and on_cuda and tf32:
        return _TF32_TOLERANCES
    return _TOLERANCES.get(dtype, (1.3e-6, 1e-5))


def _same_device(a: torch.device, b: torch.device) -> bool:
    """Same type, and the same index where both name one (``cuda`` matches ``cuda:0``)."""
    if a.type != b.type:
        return False
    if a.index is None or b.index is None:
        return True
    return a.index == b.index


# --------------------------------------------------------------------------- checks


def check_true(condition: Any, message: str) -> None:
    """Assert ``condition`` (a bool, or a one-element tensor) with the test's own message."""
    if not bool(condition):
        raise AssertionError(message)


def check_type(got: Any, expected_type: type | tuple[type, ...], name: str = "result") -> None:
    """Check that ``got`` is an instance of ``expected_type``."""
    if isinstance(got, expected_type):
        return
    types = expected_type if isinstance(expected_type, tuple) else (expected_type,)
    wanted = " or ".join(_class_name(t) for t in types)
    if got is None:
        raise AssertionError(f"{name}: expected a {wanted}, got None{_NONE_HINT}")
    message = f"{name}: expected a {wanted}, got {_type_name(got)}"
    if isinstance(got, torch.Tensor) and got.numel() == 1:
        message += " (use .item() to turn a one-element tensor into a Python number)"
    raise AssertionError(message)


def check_shape(got: Any, expected_shape: Sequence[int], name: str = "result") -> None:
    """Check that ``got`` is a tensor of shape ``expected_shape``."""
    got = _require_tensor(got, name)
    if tuple(got.shape) != tuple(int(n) for n in expected_shape):
        raise AssertionError(
            f"{name}: expected shape {_shape(expected_shape)}, got {_shape(got.shape)}"
        )


def check_dtype(got: Any, expected_dtype: torch.dtype, name: str = "result") -> None:
    """Check that ``got`` is a tensor of dtype ``expected_dtype``."""
    got = _require_tensor(got, name)
    if got.dtype != expected_dtype:
        raise AssertionError(f"{name}: expected dtype {expected_dtype}, got {got.dtype}")


def check_device(got: Any, expected_device: torch.device | str, name: str = "result") -> None:
    """Check that ``got`` is a tensor on ``expected_device`` (``"cuda"`` matches ``cuda:0``)."""
    got = _require_tensor(got, name)
    expected_device = torch.device(expected_device)
    if not _same_device(got.device, expected_device):
        raise AssertionError(
            f"{name}: expected a tensor on device {expected_device}, got one on {got.device}"
        )


def check_tensor(
    got: Any,
    expected: torch.Tensor,
    name: str = "result",
    *,
    rtol: float | None = None,
    atol: float | None = None,
    check_dtype: bool = True,
    check_device: bool = True,
    equal_nan: bool = True,
) -> None:
    """Check that ``got`` equals the tensor ``expected``, and say how it differs if not.

    Checks, in this order, and reports the first failure: that ``got`` is a tensor, its
    shape, its dtype (unless ``check_dtype=False``), its device (unless
    ``check_device=False``), then its values. Values are compared on the CPU; floating
    point values with ``|got - expected| <= atol + rtol * |expected|``, where the default
    tolerances follow the dtype as in :func:`torch.testing.assert_close`; integer and bool
    values exactly. NaN matches NaN unless ``equal_nan=False``. float32 values computed on CUDA
    while TF32 is in use get TF32's tolerances (see :func:`default_tolerances`).
    """
    if not isinstance(expected, torch.Tensor):
        raise TypeError(
            f"check_tensor: expected must be a torch.Tensor, not {_type_name(expected)}"
        )
    got = _require_tensor(got, name)
    if got.shape != expected.shape:
        raise AssertionError(
            f"{name}: expected shape {_shape(expected.shape)}, got {_shape(got.shape)}"
        )
    if check_dtype and got.dtype != expected.dtype:
        raise AssertionError(f"{name}: expected dtype {expected.dtype}, got {got.dtype}")
    if check_device and not _same_device(got.device, expected.device):
        raise AssertionError(
            f"{name}: expected a tensor on device {expected.device}, got one on {got.device}"
        )
    if got.is_meta and not expected.is_meta:
        raise AssertionError(f"{name}: expected a tensor with values, got one on the meta device")
    if got.is_meta:
        return  # shapes and dtypes only: a meta tensor has no values
    message = _compare_values(got, expected, rtol=rtol, atol=atol, equal_nan=equal_nan)
    if message:
        raise AssertionError(f"{name}: {message}")


def check_close(
    got: Any,
    expected: float,
    name: str = "result",
    *,
    rtol: float = 1e-5,
    atol: float = 1e-8,
) -> None:
    """Check that the number ``got`` is within ``atol + rtol * |expected|`` of ``expected``.

    ``got`` may be a Python number or a 0-dim tensor; NaN matches NaN.
    """
    if isinstance(got, torch.Tensor):
        if got.dim() != 0:
            raise AssertionError(
                f"{name}: expected a number, got a tensor of shape {_shape(got.shape)}"
            )
        got = got.item()
    if isinstance(got, bool) or not isinstance(got, int | float):
        what = f"None{_NONE_HINT}" if got is None else _type_name(got)
        raise AssertionError(f"{name}: expected a number, got {what}")
    expected = float(expected)
    if math.isnan(expected) and math.isnan(got):
        return
    if got == expected or abs(got - expected) <= atol + rtol * abs(expected):
        return
    raise AssertionError(
        f"{name}: expected {_pair(expected, float(got))[0]}, got {_pair(expected, float(got))[1]} "
        f"(difference {_number(abs(got - expected))}, allowed {_number(atol + rtol * abs(expected))})"
    )


def check_unchanged(before: torch.Tensor, after: Any, name: str = "the input") -> None:
    """Check that a function left its input alone.

    Take ``before = x.clone()`` before the call and pass ``after = x`` after it.
    """
    if not isinstance(before, torch.Tensor):
        raise TypeError("check_unchanged: before must be a torch.Tensor (a clone of the input)")
    after = _require_tensor(after, name)
    prefix = f"{name} was modified in place"
    if after.shape != before.shape:
        raise AssertionError(
            f"{prefix}: its shape changed from {_shape(before.shape)} to {_shape(after.shape)}"
        )
    if after.dtype != before.dtype:
        raise AssertionError(f"{prefix}: its dtype changed from {before.dtype} to {after.dtype}")
    a = after.detach().cpu()
    b = before.detach().cpu()
    changed = a != b
    if a.is_floating_point() or a.is_complex():
        changed &= ~(a.isnan() & b.isnan())
    count = int(changed.sum())
    if count:
        first = _first_index(changed)
        where = f"first at index {_index(first)}: " if first else ""
        raise AssertionError(
            f"{prefix}: {count} of {_count(a.numel(), 'value')} changed ({where}"
            f"was {_pair(b[first].item(), a[first].item())[0]}, "
            f"now {_pair(b[first].item(), a[first].item())[1]}). "
            "Work on a copy, or use operations that return a new tensor."
        )


def check_view(got: Any, base: torch.Tensor, name: str = "result") -> None:
    """Check that ``got`` shares memory with ``base`` (a view of it, not a copy)."""
    got = _require_tensor(got, name)
    if got.untyped_storage().data_ptr() != base.untyped_storage().data_ptr():
        raise AssertionError(
            f"{name}: expected a view that shares memory with its input, got a copy "
            "(view, reshape of a contiguous tensor, transpose, unsqueeze and slicing "
            "return views; clone, contiguous on a non-contiguous tensor and torch.tensor copy)"
        )


# --------------------------------------------------------------------------- values


def _first_index(mask: torch.Tensor) -> tuple[int, ...]:
    return tuple(int(i) for i in torch.nonzero(mask)[0])


def _at(t: torch.Tensor, index: tuple[int, ...], digits: int = 6) -> str:
    return _number(t[index].item(), digits)


def _compare_values(
    got: torch.Tensor,
    expected: torch.Tensor,
    *,
    rtol: float | None,
    atol: float | None,
    equal_nan: bool,
) -> str:
    """An empty string if the values match, else what differs."""
    g = got.detach().cpu()
    e = expected.detach().cpu()
    if g.dtype != e.dtype:  # only reached with check_dtype=False
        common = torch.promote_types(g.dtype, e.dtype)
        g, e = g.to(common), e.to(common)
    exact = not (e.is_floating_point() or e.is_complex())
    if exact:
        mismatch = g != e
        tolerance = "exact comparison"
    else:
        on_cuda = "cuda" in (got.device.type, expected.device.type)
        default_rtol, default_atol = default_tolerances(e.dtype, on_cuda, on_cuda and tf32_in_use())
        rtol = default_rtol if rtol is None else rtol
        atol = default_atol if atol is None else atol
        wide = torch.complex128 if e.is_complex() else torch.float64
        g, e = g.to(wide), e.to(wide)
        mismatch = ~torch.isclose(g, e, rtol=rtol, atol=atol, equal_nan=equal_nan)
        tolerance = f"rtol={rtol:g}, atol={atol:g}"
    count = int(mismatch.sum())
    if count == 0:
        return ""

    if e.dim() == 0:
        shown_e, shown_g = _pair(e.item(), g.item())
        return f"expected {shown_e}, got {shown_g} ({tolerance})"
    rows = [tuple(int(i) for i in row) for row in torch.nonzero(mismatch)[:_SAMPLES]]

    lines = [f"{count} of {_count(e.numel(), 'value')} differ ({tolerance})"]
    if not exact:
        got_nan = g.isnan() & ~e.isnan()
        lost_nan = e.isnan() & ~g.isnan()
        both_nan = g.isnan() & e.isnan()
        if got_nan.any():
            lines.append(
                f"  got NaN at {_count(int(got_nan.sum()), 'position')} where a number was "
                f"expected (first at index {_index(_first_index(got_nan))})"
            )
        if lost_nan.any():
            lines.append(
                f"  expected NaN at {_count(int(lost_nan.sum()), 'position')}, got a number "
                f"(first at index {_index(_first_index(lost_nan))})"
            )
        if both_nan.any() and not equal_nan:
            lines.append(
                f"  NaN in both at {_count(int(both_nan.sum()), 'position')} "
                "(with equal_nan=False, NaN matches nothing)"
            )
    if e.dtype != torch.bool:
        diff = (g.to(torch.float64) - e.to(torch.float64)) if exact else (g - e)
        diff = diff.abs().to(torch.float64)
        diff = torch.where(mismatch & ~diff.isnan(), diff, -1.0)
        if diff.max() >= 0:
            worst = tuple(int(i) for i in torch.unravel_index(diff.argmax(), diff.shape))
            rows.append(worst)
            digits = _digits(*((e[i].item(), g[i].item()) for i in rows))
            lines.append(
                f"  largest difference {_number(diff[worst].item())} at index {_index(worst)}: "
                f"expected {_at(e, worst, digits)}, got {_at(g, worst, digits)}"
            )
    digits = _digits(*((e[i].item(), g[i].item()) for i in rows))
    if e.numel() <= _SMALL:
        with torch._tensor_str.printoptions(precision=max(4, digits - 1)):
            lines.append("  expected:")
            lines.append(_tensor_text(expected.detach().cpu()))
            lines.append("  got:")
            lines.append(_tensor_text(got.detach().cpu()))
    else:
        lines.append("  first differences (index: expected, got):")
        for index in rows[:_SAMPLES]:
            lines.append(f"    {_index(index)}: {_at(e, index, digits)}, {_at(g, index, digits)}")
    return "\n".join(lines)
