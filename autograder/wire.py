"""What crosses between the grader and a grading kernel: plain values, never objects.

The same file runs on both sides. The grader imports it; each grading kernel receives its
source at start (before any student code) and keeps it as the module ``_autograder_wire``.

- The grader asks the kernel to call a function of the notebook, or to run a short driver
  snippet that calls them, on inputs it sends (:func:`request`).
- The kernel runs it (:func:`serve`) and answers with one display output of type :data:`MIME`
  holding the result, the arguments as they were after the call, or the error the student's
  code raised, all encoded by :func:`encode`.
- The grader decodes the answer (:func:`decode`) into fresh tensors and plain Python values,
  checking every field: whatever the kernel sends is data, and data cannot run code in the
  grader or stand in for an expected value.

A value that cannot be shipped as data (a module, a function, a DataLoader) arrives as an
:class:`Opaque` description: its type's name and a short ``repr``.
"""

from __future__ import annotations

import base64
import json
import math
import sys
import traceback
from typing import Any

MIME = "application/x.autograder-result+json"
#: The module name under which a grading kernel keeps this file.
KERNEL_MODULE = "_autograder_wire"
#: What the grader's snippets are compiled as (traceback frames from here are not the student's).
DRIVER_FILE = "<autograder>"

MAX_DEPTH = 32
MAX_ITEMS = 100_000
MAX_BYTES = 256 * 2**20

#: dtypes that may cross, by name (torch.float32 -> "float32").
TENSOR_DTYPES = (
    "float16", "bfloat16", "float32", "float64", "complex64", "complex128", "uint8", "int8",
    "int16", "int32", "int64", "bool", "uint16", "uint32", "uint64",
)  # fmt: skip
NUMPY_DTYPES = (
    "float16", "float32", "float64", "complex64", "complex128", "uint8", "int8", "int16",
    "int32", "int64", "bool", "uint16", "uint32", "uint64",
)  # fmt: skip


class WireError(ValueError):
    """Data that does not follow the format (sent by a broken or tampered kernel)."""


class Opaque:
    """Something the kernel could not ship as data: its type's name and a short repr."""

    def __init__(self, type_name: str, text: str) -> None:
        self.type_name = type_name
        self.text = text

    def __repr__(self) -> str:
        return f"<{self.type_name}: {self.text}>"


# ---------------------------------------------------------------------------------------------
# encoding (both sides)


def encode(value: Any) -> Any:
    """``value`` as JSON-compatible data (see the module docstring)."""
    return _Encoder().encode(value, 0)


class _Encoder:
    def __init__(self) -> None:
        self.items = 0
        self.bytes = 0
        self.storages: dict[tuple[str, int], int] = {}

    def encode(self, value: Any, depth: int) -> Any:
        self.items += 1
        if depth > MAX_DEPTH or self.items > MAX_ITEMS:
            raise WireError("the value is too deeply nested or has too many items to ship")
        kind = type(value)
        if value is None or kind is bool or kind is str:
            return value
        if kind is int:
            return value if abs(value) < 2**53 else {"int": str(value)}
        if kind is float:
            return value if math.isfinite(value) else {"float": repr(value)}
        if kind is complex:
            return {"complex": [repr(value.real), repr(value.imag)]}
        if kind is tuple or kind is list:
            return {kind.__name__: [self.encode(v, depth + 1) for v in value]}
        if kind is dict:
            return {"dict": [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in value.items()]}  # fmt: skip
        torch = sys.modules.get("torch")
        if torch is not None:
            if isinstance(value, torch.Tensor):
                return {"tensor": self.tensor(value, torch)}
            if kind is torch.Size:
                return {"size": [int(n) for n in value]}
            if kind is torch.dtype:
                return {"torch_dtype": str(value).removeprefix("torch.")}
            if kind is torch.device:
                return {"device": str(value)}
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            if kind is numpy.ndarray and value.dtype.name in NUMPY_DTYPES:
                data = numpy.ascontiguousarray(value).tobytes()
                self.count(len(data))
                return {"ndarray": {"dtype": value.dtype.name, "shape": list(value.shape),
                                    "data": base64.b64encode(data).decode()}}  # fmt: skip
            if isinstance(value, numpy.generic) and value.dtype.name in NUMPY_DTYPES:
                return {"npscalar": {"dtype": value.dtype.name,
                                     "value": self.encode(value.item(), depth + 1)}}  # fmt: skip
        if isinstance(value, int | float | complex | str | tuple | list | dict):
            # a subclass: ship the built-in value it holds (its own methods do not cross)
            base = next(
                b
                for b in (bool, int, float, complex, str, tuple, list, dict)
                if isinstance(value, b)
            )
            return self.encode(base(value), depth)  # fmt: skip
        return {"opaque": [_type_name(value), _short_repr(value)]}

    def tensor(self, t: Any, torch: Any) -> dict:
        if t.layout != torch.strided or t.is_quantized or getattr(t, "is_nested", False):
            raise WireError(f"a {t.layout} tensor cannot be shipped; return a dense tensor")
        name = str(t.dtype).removeprefix("torch.")
        if name not in TENSOR_DTYPES:
            raise WireError(f"a tensor of dtype {t.dtype} cannot be shipped")
        param = isinstance(t, torch.nn.Parameter)
        if type(t) is not torch.Tensor:
            with torch._C.DisableTorchFunctionSubclass():
                t = t.as_subclass(torch.Tensor)
        out: dict[str, Any] = {
            "dtype": name,
            "shape": list(t.shape),
            "device": str(t.device),
            "requires_grad": bool(t.requires_grad),
            "parameter": param,
        }
        if t.device.type == "meta":
            return out
        key = (str(t.device), t.untyped_storage().data_ptr())
        out["storage"] = self.storages.setdefault(key, len(self.storages))
        out["offset"] = int(t.storage_offset())
        out["stride"] = list(t.stride())
        # standard strides (a size-1 dimension may keep any stride under contiguous())
        flat = t.detach().to("cpu").clone(memory_format=torch.contiguous_format).reshape(-1)
        data = flat.view(torch.uint8).numpy().tobytes() if flat.numel() else b""
        self.count(len(data))
        out["data"] = base64.b64encode(data).decode()
        return out

    def count(self, n: int) -> None:
        self.bytes += n
        if self.bytes > MAX_BYTES:
            raise WireError(f"the value is over {MAX_BYTES // 2**20} MiB and cannot be shipped")


def _type_name(value: Any) -> str:
    kind = type(value)
    module = getattr(kind, "__module__", "") or ""
    name = getattr(kind, "__qualname__", "object")
    return name if module == "builtins" else f"{module}.{name}"


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a student's __repr__ may raise
        text = f"(repr failed: {type(exc).__name__})"
    return str(text)[:200]


# ---------------------------------------------------------------------------------------------
# decoding (both sides; the grader decodes what a kernel sent, so every field is checked)


def decode(data: Any, *, device_map: Any = None) -> Any:
    """The value that :func:`encode` encoded, built afresh. Raises WireError on bad data.

    ``device_map(name) -> str`` picks where a tensor is placed (default: where it was, if this
    process has that device, else WireError).
    """
    try:
        return _Decoder(device_map).decode(data, 0)
    except WireError:
        raise
    except Exception as exc:  # a conversion that data from a kernel made fail
        raise WireError(f"{type(exc).__name__}: {str(exc)[:200]}") from None


class _Decoder:
    def __init__(self, device_map: Any) -> None:
        self.device_map = device_map or _available
        self.items = 0

    def decode(self, data: Any, depth: int) -> Any:
        self.items += 1
        if depth > MAX_DEPTH or self.items > MAX_ITEMS:
            raise WireError("too deeply nested or too many items")
        if data is None or type(data) in (bool, str, float):
            return data
        if type(data) is int:
            return data
        if type(data) is not dict or len(data) != 1:
            raise WireError(f"unexpected {type(data).__name__}")
        (tag, body), = data.items()  # fmt: skip
        if tag == "int":
            return int(_str(body))
        if tag == "float":
            return float(_str(body))
        if tag == "complex":
            re, im = _list(body, 2)
            return complex(float(_str(re)), float(_str(im)))
        if tag in ("tuple", "list"):
            items = [self.decode(v, depth + 1) for v in _list(body)]
            return tuple(items) if tag == "tuple" else items
        if tag == "dict":
            out = {}
            for pair in _list(body):
                key, value = _list(pair, 2)
                out[_hashable(self.decode(key, depth + 1))] = self.decode(value, depth + 1)
            return out
        if tag == "tensor":
            return self.tensor(body)
        if tag == "size":
            import torch

            return torch.Size([_int(n) for n in _list(body)])
        if tag == "torch_dtype":
            import torch

            if _str(body) not in TENSOR_DTYPES:
                raise WireError(f"unknown dtype {body!r}")
            return getattr(torch, body)
        if tag == "device":
            import torch

            return torch.device(_str(body))
        if tag == "ndarray":
            import numpy

            dtype = _field(body, "dtype", str)
            if dtype not in NUMPY_DTYPES:
                raise WireError(f"unknown dtype {dtype!r}")
            shape = [_int(n) for n in _field(body, "shape", list)]
            raw = _b64(_field(body, "data", str))
            array = numpy.frombuffer(raw, dtype=dtype)
            if array.size != math.prod(shape):
                raise WireError("array data does not match its shape")
            return array.reshape(shape).copy()
        if tag == "npscalar":
            import numpy

            dtype = _field(body, "dtype", str)
            if dtype not in NUMPY_DTYPES:
                raise WireError(f"unknown dtype {dtype!r}")
            return numpy.array(self.decode(body.get("value"), depth + 1), dtype=dtype)[()]
        if tag == "opaque":
            type_name, text = _list(body, 2)
            return Opaque(_str(type_name)[:200], _str(text)[:200])
        raise WireError(f"unknown tag {tag!r}")

    def tensor(self, body: Any) -> Any:
        import torch

        dtype_name = _field(body, "dtype", str)
        if dtype_name not in TENSOR_DTYPES:
            raise WireError(f"unknown dtype {dtype_name!r}")
        dtype = getattr(torch, dtype_name)
        shape = [_int(n) for n in _field(body, "shape", list)]
        device = torch.device(_field(body, "device", str))
        requires_grad = bool(body.get("requires_grad", False))
        if device.type == "meta":
            t = torch.empty(shape, dtype=dtype, device="meta")
        else:
            raw = _b64(_field(body, "data", str))
            itemsize = torch.empty((), dtype=dtype).element_size()
            if len(raw) != math.prod(shape) * itemsize:
                raise WireError("tensor data does not match its shape and dtype")
            if raw:
                flat = torch.frombuffer(bytearray(raw), dtype=torch.uint8).view(dtype)
            else:
                flat = torch.empty(0, dtype=dtype)
            t = flat.reshape(shape).to(self.device_map(str(device)))
        if requires_grad and (dtype.is_floating_point or dtype.is_complex):
            t.requires_grad_(True)
        if body.get("parameter"):
            t = torch.nn.Parameter(t, requires_grad=requires_grad)
        # where the tensor lived in the kernel: which storage (numbered per message), at which
        # offset and strides; read by :func:`shares_memory` and the view checks
        t._wire = {
            "device": str(device),
            "storage": body.get("storage"),
            "offset": body.get("offset"),
            "stride": body.get("stride"),
        }
        return t


def _available(name: str) -> str:
    """``name`` if this process can hold tensors there (the grader and its kernels share a
    machine), else WireError."""
    import torch

    device = torch.device(name)
    if device.type == "cuda" and (
        not torch.cuda.is_available() or (device.index or 0) >= torch.cuda.device_count()
    ):
        raise WireError(f"a tensor on {name}, which this machine does not have")
    if device.type not in ("cpu", "cuda", "meta"):
        raise WireError(f"a tensor on {name}, which the grader cannot rebuild")
    return name


def _str(value: Any) -> str:
    if type(value) is not str:
        raise WireError("expected a string")
    return value


def _int(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise WireError("expected a non-negative integer")
    return value


def _list(value: Any, length: int | None = None) -> list:
    if type(value) is not list or (length is not None and len(value) != length):
        raise WireError("expected a list" + (f" of {length}" if length else ""))
    return value


def _field(body: Any, name: str, kind: type) -> Any:
    if type(body) is not dict or type(body.get(name)) is not kind:
        raise WireError(f"missing or bad field {name!r}")
    return body[name]


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode(), validate=True)
    except Exception as exc:
        raise WireError("bad base64 data") from exc


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError as exc:
        raise WireError("a dict key that cannot be hashed") from exc
    return value


def shares_memory(a: Any, b: Any) -> bool:
    """Whether two tensors decoded from one message lived in the same storage in the kernel."""
    wa, wb = getattr(a, "_wire", None), getattr(b, "_wire", None)
    if not wa or not wb or wa.get("storage") is None:
        return False
    return wa["device"] == wb["device"] and wa["storage"] == wb["storage"]


# ---------------------------------------------------------------------------------------------
# the grader's side of a request


def request(nonce: str, kind: str, target: str, args: Any = (), kwargs: Any = None) -> str:
    """The code the grader sends to a kernel: call ``target`` (a name in the notebook) with
    ``args`` and ``kwargs``, or (``kind == "run"``) run the snippet ``target`` with
    ``kwargs`` as its variables and ship back its variable ``result``."""
    spec = {
        "nonce": nonce,
        "kind": kind,
        "target": target,
        "args": encode(tuple(args)),
        "kwargs": encode(dict(kwargs or {})),
    }
    return f"__import__({KERNEL_MODULE!r}).serve({json.dumps(spec)!r})\n"


# ---------------------------------------------------------------------------------------------
# the kernel's side


def serve(spec_text: str) -> None:
    """Run one request in the notebook's namespace and display the answer (kernel side)."""
    spec = json.loads(spec_text)
    answer: dict[str, Any] = {"nonce": spec["nonce"]}
    try:
        answer.update(_serve(spec))
    except KeyboardInterrupt:
        raise  # the grader's interrupt: the cell ran out of time
    except BaseException as exc:  # the student's code raised (SystemExit included)
        answer["ok"] = False
        answer["error"] = {
            "type": type(exc).__name__,
            "message": _safe_str(exc)[:4000],
            "where": _student_frames(exc),
        }
    from IPython.display import display

    display({MIME: answer}, raw=True)


def limit_memory(extra_bytes: int) -> None:
    """Cap the kernel's address space at what it maps now plus ``extra_bytes`` (kernel side;
    run once the kernel has started, before any cell: its threads and buffers are mapped)."""
    import resource

    with open("/proc/self/status") as status:
        mapped = next(int(x.split()[1]) * 1024 for x in status if x.startswith("VmSize:"))
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    value = mapped + extra_bytes
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(resource.RLIMIT_AS, (value, value))


def _serve(spec: dict) -> dict:
    from IPython import get_ipython

    namespace = get_ipython().user_ns
    args = decode(spec["args"])
    kwargs = decode(spec["kwargs"])
    if spec["kind"] == "call":
        name = spec["target"]
        if name not in namespace:
            return {"ok": False, "missing": name}
        result = namespace[name](*args, **kwargs)
        try:
            shipped = encode({"result": result, "args": args, "kwargs": kwargs})
        except WireError:  # the result cannot cross: say so; the arguments may not either
            shipped = encode({"result": result, "args": (), "kwargs": {}})
        return {"ok": True, "value": shipped}
    scope = dict(namespace)
    scope.update(kwargs)
    exec(compile(spec["target"], DRIVER_FILE, "exec"), scope)
    return {"ok": True, "value": encode({"result": scope.get("result"), "args": (), "kwargs": {}})}


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:
        return "(the exception's message could not be read)"


def _student_frames(exc: BaseException) -> list[str]:
    """Where the student's code raised: its own frames only, innermost last."""
    frames = []
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename in (DRIVER_FILE, __file__) or frame.filename.endswith("wire.py"):
            continue
        if "site-packages" in frame.filename or frame.filename.startswith("<frozen"):
            continue
        line = (frame.line or "").strip()
        frames.append(f"line {frame.lineno}, in {frame.name}: {line}"[:300])
    return frames[-5:]
