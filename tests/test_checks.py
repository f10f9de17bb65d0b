"""Unit tests of torchbook.checks: correct inputs pass, and failures read well.

The messages are what a student sees when a test fails, so their wording is tested too:
each must name what was checked and show what was expected and what came back.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from torchbook.checks import (
    check_close,
    check_device,
    check_dtype,
    check_shape,
    check_tensor,
    check_true,
    check_type,
    check_unchanged,
    check_view,
)

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def fails(match: str):
    """pytest.raises(AssertionError) whose message contains ``match`` literally."""
    return pytest.raises(AssertionError, match=re.escape(match))


# --------------------------------------------------------------------------- passing


@pytest.mark.parametrize(
    "got",
    [
        torch.tensor([1.0, 2.0, 3.0]),
        torch.tensor([1, 2, 3]),
        torch.tensor([True, False]),
        torch.tensor(2.5),
        torch.zeros(0, 3),
        torch.tensor([1.0, float("nan"), float("inf"), -float("inf")]),
        torch.tensor([1.0, 2.0], dtype=torch.float64),
        torch.tensor([1.0, 2.0], dtype=torch.float16),
        torch.tensor([1.0, 2.0], dtype=torch.bfloat16),
        torch.tensor([1 + 2j, 3 - 1j]),
        torch.arange(12).reshape(3, 4).T,  # not contiguous
    ],
    ids=lambda t: f"{t.dtype}{tuple(t.shape)}",
)
def test_check_tensor_passes_on_equal_tensors(got: torch.Tensor) -> None:
    check_tensor(got, got.clone())


def test_check_tensor_allows_tolerance_by_dtype() -> None:
    expected = torch.tensor([1.0, 100.0])
    check_tensor(expected + torch.tensor([5e-6, 1e-4]), expected)  # float32: rtol 1.3e-6, atol 1e-5
    with fails("1 of 2 values differ (rtol=1.3e-06, atol=1e-05)"):
        check_tensor(expected + torch.tensor([0.0, 1e-2]), expected)
    check_tensor(expected + torch.tensor([0.0, 1e-2]), expected, rtol=1e-3)


def test_check_tensor_compares_integers_exactly() -> None:
    with fails("1 of 3 values differ (exact comparison)"):
        check_tensor(torch.tensor([1, 2, 3]), torch.tensor([1, 2, 4]), rtol=1.0, atol=1.0)


def test_check_tensor_without_dtype_check_compares_int_with_float() -> None:
    check_tensor(torch.tensor([1, 2]), torch.tensor([1.0, 2.0]), check_dtype=False)
    with fails("expected 2.5, got 2"):
        check_tensor(torch.tensor([1, 2]), torch.tensor([1.0, 2.5]), check_dtype=False)


def test_check_tensor_ignores_requires_grad() -> None:
    x = torch.ones(3, requires_grad=True)
    check_tensor(x * 2, torch.full((3,), 2.0))


# --------------------------------------------------------------------------- what fails first


def test_not_a_tensor() -> None:
    with fails("f(x): expected a torch.Tensor, got numpy.ndarray"):
        check_tensor(np.zeros(3), torch.zeros(3), name="f(x)")
    with fails("f(x): expected a torch.Tensor, got tuple of length 2"):
        check_tensor((torch.zeros(3), torch.zeros(3)), torch.zeros(3), name="f(x)")
    with fails("f(x): expected a torch.Tensor, got None (does the function end with `return"):
        check_tensor(None, torch.zeros(3), name="f(x)")


def test_shape_is_reported_before_dtype_and_device() -> None:
    got = torch.zeros(100, 2, dtype=torch.float64, device="meta")
    with fails("pairwise_distances(X): expected shape (100, 100), got (100, 2)"):
        check_tensor(got, torch.zeros(100, 100), name="pairwise_distances(X)")


def test_shape_of_0_dim_and_1_dim_tensors() -> None:
    with fails("s: expected shape (), got (1,)"):
        check_tensor(torch.zeros(1), torch.tensor(0.0), name="s")


def test_dtype_is_reported_before_device_and_values() -> None:
    got = torch.ones(3, dtype=torch.float64, device="meta")
    with fails("f: expected dtype torch.float32, got torch.float64"):
        check_tensor(got, torch.zeros(3), name="f")


def test_device_is_reported_before_values() -> None:
    with fails("f: expected a tensor on device cpu, got one on meta"):
        check_tensor(torch.zeros(3, device="meta"), torch.zeros(3), name="f")


# --------------------------------------------------------------------------- value messages


def test_value_message_names_largest_difference_and_samples() -> None:
    expected = torch.zeros(100, 100)
    got = expected.clone()
    got[3, 7] = 0.5
    got[0, 1] = 0.25
    got[50, 50] = 1e-3
    with pytest.raises(AssertionError) as info:
        check_tensor(got, expected, name="D")
    message = str(info.value)
    assert message.startswith("D: 3 of 10000 values differ (rtol=1.3e-06, atol=1e-05)")
    assert "largest difference 0.5 at index (3, 7): expected 0, got 0.5" in message
    assert "(0, 1): 0, 0.25" in message  # the first mismatches, in order
    assert "(50, 50): 0, 0.001" in message
    assert "tensor(" not in message  # large tensors are not printed whole


def test_value_message_prints_small_tensors_whole() -> None:
    with pytest.raises(AssertionError) as info:
        check_tensor(torch.tensor([1, 2, 3]), torch.tensor([1, 2, 4]), name="f")
    message = str(info.value)
    assert "largest difference 1 at index (2,): expected 4, got 3" in message
    assert "expected:\n    tensor([1, 2, 4])" in message
    assert "got:\n    tensor([1, 2, 3])" in message


def test_value_message_for_0_dim_tensor() -> None:
    with fails("loss: expected 2, got 1.5 (rtol=1.3e-06, atol=1e-05)"):
        check_tensor(torch.tensor(1.5), torch.tensor(2.0), name="loss")


def test_bool_mismatch() -> None:
    with pytest.raises(AssertionError) as info:
        check_tensor(torch.tensor([True, False]), torch.tensor([True, True]), name="mask")
    message = str(info.value)
    assert "mask: 1 of 2 values differ (exact comparison)" in message
    assert "tensor([ True, False])" in message


def test_nan_where_a_number_was_expected() -> None:
    expected = torch.arange(20.0)
    got = expected.clone()
    got[4] = float("nan")
    got[9] = float("nan")
    with pytest.raises(AssertionError) as info:
        check_tensor(got, expected, name="D")
    message = str(info.value)
    assert "got NaN at 2 positions where a number was expected (first at index (4,))" in message
    assert "(4,): 4, nan" in message


def test_number_where_nan_was_expected() -> None:
    with fails("expected NaN at 1 position, got a number (first at index (1,))"):
        check_tensor(torch.tensor([1.0, 2.0]), torch.tensor([1.0, float("nan")]))


def test_nan_matches_nan_unless_told_otherwise() -> None:
    t = torch.tensor([1.0, float("nan")])
    check_tensor(t, t.clone())
    with fails("NaN in both at 1 position"):
        check_tensor(t, t.clone(), equal_nan=False)


def test_infinities() -> None:
    inf = float("inf")
    check_tensor(torch.tensor([inf, -inf]), torch.tensor([inf, -inf]))
    with fails("largest difference inf at index (0,): expected 1, got inf"):
        check_tensor(torch.tensor([inf, 2.0]), torch.tensor([1.0, 2.0]))


def test_unsigned_integers_do_not_wrap_around() -> None:
    with fails("largest difference 3 at index (1,): expected 5, got 2"):
        check_tensor(
            torch.tensor([1, 2], dtype=torch.uint8), torch.tensor([1, 5], dtype=torch.uint8)
        )


def test_expected_must_be_a_tensor() -> None:
    with pytest.raises(TypeError):
        check_tensor(torch.zeros(2), [0.0, 0.0])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- one property


def test_check_shape() -> None:
    check_shape(torch.zeros(2, 3), (2, 3))
    check_shape(torch.zeros(2, 3), torch.Size([2, 3]))
    with fails("v: expected shape (2, 1), got (2,)"):
        check_shape(torch.zeros(2), (2, 1), name="v")
    with fails("v: expected a torch.Tensor, got list"):
        check_shape([0, 0], (2,), name="v")


def test_check_dtype() -> None:
    check_dtype(torch.zeros(2, dtype=torch.int64), torch.int64)
    with fails("idx: expected dtype torch.int64, got torch.int32"):
        check_dtype(torch.zeros(2, dtype=torch.int32), torch.int64, name="idx")


def test_check_device() -> None:
    check_device(torch.zeros(2), "cpu")
    check_device(torch.zeros(2), torch.device("cpu"))
    with fails("v: expected a tensor on device cuda, got one on cpu"):
        check_device(torch.zeros(2), "cuda", name="v")
    with fails("v: expected a tensor on device cpu, got one on meta"):
        check_device(torch.zeros(2, device="meta"), "cpu", name="v")


# --------------------------------------------------------------------------- numbers, types


def test_check_close() -> None:
    check_close(0.1 + 0.2, 0.3)
    check_close(torch.tensor(1.0), 1.0)
    check_close(3, 3.0)
    check_close(float("nan"), float("nan"))
    with fails("loss: expected 1.1, got 1 (difference 0.1, allowed 1.101e-05)"):
        check_close(1.0, 1.1, name="loss")
    with fails("loss: expected a number, got a tensor of shape (2,)"):
        check_close(torch.ones(2), 1.0, name="loss")
    with fails("loss: expected a number, got None"):
        check_close(None, 1.0, name="loss")
    with fails("loss: expected a number, got str"):
        check_close("1.0", 1.0, name="loss")


def test_check_type() -> None:
    check_type((1, 2), tuple)
    check_type(1.5, (int, float))
    check_type(torch.device("cpu"), torch.device)
    with fails("pick_device(): expected a torch.device, got str"):
        check_type("cuda", torch.device, name="pick_device()")
    with fails("f: expected a tuple or dict, got list"):
        check_type([1], (tuple, dict), name="f")
    with fails(
        "t: expected a float, got torch.Tensor "
        "(use .item() to turn a one-element tensor into a Python number)"
    ):
        check_type(torch.tensor(0.5), float, name="t")
    with fails("t: expected a float, got None"):
        check_type(None, float, name="t")


def test_check_true() -> None:
    check_true(True, "never shown")
    check_true(torch.tensor(True), "never shown")
    with fails("points 3 and 7 should be neighbours"):
        check_true(False, "points 3 and 7 should be neighbours")
    with fails("all positive"):
        check_true((torch.tensor([1, -1]) > 0).all(), "all positive")


# --------------------------------------------------------------------------- inputs, views


def test_check_unchanged_passes_when_input_is_left_alone() -> None:
    x = torch.tensor([1.0, float("nan"), -2.0])
    before = x.clone()
    _ = x.clamp(min=0)
    check_unchanged(before, x, name="x")


def test_check_unchanged_reports_in_place_changes() -> None:
    x = torch.tensor([[1.0, -2.0], [-3.0, 4.0]])
    before = x.clone()
    x[x < 0] = 0
    with fails(
        "x was modified in place: 2 of 4 values changed (first at index (0, 1): was -2, now 0)"
    ):
        check_unchanged(before, x, name="x")


def test_check_unchanged_reports_shape_and_0_dim_changes() -> None:
    x = torch.zeros(4)
    before = x.clone()
    x.resize_(2, 2)
    with fails("x was modified in place: its shape changed from (4,) to (2, 2)"):
        check_unchanged(before, x, name="x")
    s = torch.tensor(1.0)
    before = s.clone()
    s.add_(1)
    with fails("s was modified in place: 1 of 1 value changed (was 1, now 2)"):
        check_unchanged(before, s, name="s")


def test_check_view() -> None:
    x = torch.arange(6)
    check_view(x.view(2, 3), x)
    check_view(x.view(2, 3).T, x)
    check_view(x[::2], x)
    with fails("c: expected a view that shares memory with its input, got a copy"):
        check_view(x.view(2, 3).T.flatten(), x, name="c")


# --------------------------------------------------------------------------- GPU


@cuda
def test_check_tensor_across_devices() -> None:
    expected = torch.arange(5.0)
    with fails("f: expected a tensor on device cpu, got one on cuda:0"):
        check_tensor(expected.cuda(), expected, name="f")
    check_tensor(expected.cuda(), expected, check_device=False)
    check_tensor(expected.to("cuda:0"), expected.to("cuda"))  # cuda matches cuda:0
    with fails("largest difference 1 at index (4,): expected 4, got 5"):
        check_tensor((expected + (expected == 4)).cuda(), expected, check_device=False)


class _Liar(torch.Tensor):
    """A tensor subclass whose comparisons always say "equal"."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        result = super().__torch_function__(func, types, args, kwargs or {})
        if isinstance(result, torch.Tensor) and result.dtype == torch.bool:
            return torch.ones_like(result.as_subclass(torch.Tensor))
        return True if isinstance(result, bool) else result


def test_check_tensor_sees_through_a_lying_subclass() -> None:
    liar = torch.arange(4.0).as_subclass(_Liar)
    expected = torch.tensor([9.0, 9.0, 9.0, 9.0])
    assert torch.allclose(liar, expected)  # the lie works on torch's own comparison...
    with pytest.raises(AssertionError, match="value"):  # ...not on the check
        check_tensor(liar, expected, name="double(x)")
    check_tensor(torch.nn.Parameter(expected.clone()), expected)  # a Parameter is a tensor


def test_tf32_tolerances_only_for_float32_on_cuda_while_tf32_is_in_use() -> None:
    from torchbook.checks import default_tolerances

    strict = default_tolerances(torch.float32, on_cuda=False, tf32=True)
    assert strict == (1.3e-6, 1e-5)  # torch.testing.assert_close's float32 defaults
    assert default_tolerances(torch.float32, on_cuda=True, tf32=False) == strict
    assert default_tolerances(torch.float32, on_cuda=True, tf32=True) == (5e-3, 5e-3)
    assert default_tolerances(torch.float64, on_cuda=True, tf32=True) == (1e-7, 1e-7)


def test_tf32_in_use_follows_the_backend_settings() -> None:
    from torchbook.checks import tf32_in_use

    cudnn, matmul = torch.backends.cudnn, torch.backends.cuda.matmul
    saved = (matmul.fp32_precision, cudnn.conv.fp32_precision, cudnn.rnn.fp32_precision)
    try:
        matmul.fp32_precision = cudnn.conv.fp32_precision = cudnn.rnn.fp32_precision = "ieee"
        assert not tf32_in_use()
        cudnn.conv.fp32_precision = "tf32"  # PyTorch's default for cuDNN convolutions
        assert tf32_in_use()
    finally:
        matmul.fp32_precision, cudnn.conv.fp32_precision, cudnn.rnn.fp32_precision = saved
