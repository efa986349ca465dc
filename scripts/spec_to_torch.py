#!/usr/bin/env python3
"""Build a PyTorch model from an initkit model spec (docs/SPEC.md): the Python side of `nn.fromSpec`.

    python3 scripts/spec_to_torch.py spec.json --seed 0 --out state.safetensors   # or .json / .npz / .pt
    python3 scripts/spec_to_torch.py spec.json --seed 0 --compare out.safetensors  # check an initkit file

`build(spec)` evaluates the spec exactly as the equivalent Python expression would: call arguments (positional,
then keyword, in document order) before the call, children before their container, so after
`torch.manual_seed(seed)` the random stream is consumed as initkit consumes it. The oracle tests
(tests/oracle/nn.test.ts), the golden fixtures (scripts/gen_nn_fixtures.py) and the benchmark (bench/30-nn.bench.mjs)
use it.

`Residual` is initkit's container for residual blocks (docs/SPEC.md), not a torch.nn class: it is built as the
small `Residual` module below, whose forward is `shortcut(x) + body(x)`.

Compatibility shims, so one spec works on PyTorch 1.13 (the version these tests pin) and 2.x:
  * `RMSNorm` (PyTorch 2.4+) is provided from the 2.4 source when torch.nn lacks it;
  * `LayerNorm(bias=False)` (2.1+) is emulated on older versions by registering bias as None (no draws either way);
  * `bias=True` on Transformer layers (the 2.1+ default) is dropped on older versions; `bias=False` there needs 2.1+.

Only numpy and torch are needed; safetensors files are read and written by hand (the format is a little-endian u64
header length, a JSON header, then the raw tensor bytes).
"""
import argparse
import collections
import inspect
import json
import re
import struct
import sys
import typing

import numpy as np
import torch
import torch.nn as nn

CONTAINERS = ("Sequential", "ModuleList", "ModuleDict", "Module", "Residual")
SHORTCUT_NAMES = ("shortcut", "downsample")
NODE_KEYS = {"type", "args", "kwargs", "children", "comment"}
DTYPES = {
    "float32": torch.float32, "float": torch.float32, "float64": torch.float64, "double": torch.float64,
    "float16": torch.float16, "half": torch.float16, "bfloat16": torch.bfloat16,
}
ST_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
             torch.int64: "I64", torch.int32: "I32", torch.bool: "BOOL"}
ST_NUMPY = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "BF16": "<u2", "I64": "<i8", "I32": "<i4", "BOOL": "|u1"}


class SpecError(ValueError):
    """A spec problem, with the JSON path (the same paths initkit reports)."""

    def __init__(self, path, message):
        super().__init__(f"{path or 'spec'}: {message}")
        self.path = path


class RMSNorm(nn.Module):
    """torch.nn.RMSNorm from PyTorch 2.4 (torch/nn/modules/normalization.py), for older PyTorch: weight = ones."""

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None):
        factory_kwargs = {"device": device, "dtype": dtype}
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if self.elementwise_affine:
            self.weight = nn.Parameter(torch.empty(self.normalized_shape, **factory_kwargs))
        else:
            self.register_parameter("weight", None)
        self.reset_parameters()

    def reset_parameters(self):
        if self.elementwise_affine:
            nn.init.ones_(self.weight)

    def extra_repr(self):
        return "{normalized_shape}, eps={eps}, elementwise_affine={elementwise_affine}".format(**self.__dict__)


class Residual(nn.Module):
    """initkit's Residual container (src/nn/residual.ts): forward(x) = shortcut(x) + body(x).

    Children are registered like nn.Sequential's ('0', '1', ... or the given names, so the state-dict keys match).
    The body is every child in order except one named 'shortcut' or 'downsample', which maps x on the skip path;
    without it the skip path is x itself. No parameters of its own, no draws."""

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], collections.OrderedDict):
            for name, m in args[0].items():
                self.add_module(name, m)
        else:
            for i, m in enumerate(args):
                self.add_module(str(i), m)
        if sum(name in self._modules for name in SHORTCUT_NAMES) > 1:
            raise ValueError("Residual: at most one skip-path child ('shortcut' or 'downsample')")

    def forward(self, x):
        out = x
        for name, m in self._modules.items():
            if name not in SHORTCUT_NAMES:
                out = m(out)
        skip = x
        for name in SHORTCUT_NAMES:
            if name in self._modules:
                skip = self._modules[name](x)
        return out + skip


def _accepts(cls, name):
    try:
        return name in inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return False


def _join(path, key):
    if isinstance(key, int):
        return f"{path}[{key}]"
    if re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key):
        return key if path == "" else f"{path}.{key}"
    return f"{path}[{json.dumps(key)}]"


def _float_params(cls):
    """(names of positional-or-keyword parameters in order, the set annotated float or Optional[float])."""
    try:
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    except (TypeError, ValueError):
        return [], set()
    names, floats = [], set()
    for p in params:
        if p.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            break
        names.append(p.name)
        a = p.annotation
        if a is float or (typing.get_origin(a) is typing.Union and float in typing.get_args(a)):
            floats.add(p.name)
    return names, floats


def _coerce_floats(cls, args, kwargs):
    """JSON cannot tell 2 from 2.0: give float-annotated parameters Python floats, as a Python caller would write
    them (this only changes how repr() prints them; PyTorch converts to float internally either way)."""
    names, floats = _float_params(cls)
    fix = lambda v: float(v) if type(v) is int else v  # noqa: E731
    args = [fix(v) if i < len(names) and names[i] in floats else v for i, v in enumerate(args)]
    kwargs = {k: (fix(v) if k in floats else v) for k, v in kwargs.items()}
    return args, kwargs


def _is_node(v):
    return isinstance(v, dict) and "type" in v


def _value(v, path):
    """A JSON argument as Python would write it: nested nodes built, lists as tuples, dtype names as dtypes."""
    if _is_node(v):
        return build(v, path)
    if isinstance(v, list):
        return tuple(_value(x, f"{path}[{i}]") for i, x in enumerate(v))
    return v


def _named_children(node, type_, path):
    children = node.get("children", {})
    cpath = _join(path, "children")
    if isinstance(children, list):
        out = []
        for i, e in enumerate(children):
            if not (isinstance(e, list) and len(e) == 2 and isinstance(e[0], str)):
                raise SpecError(f"{cpath}[{i}]", f"expected a [name, node] pair, got {e!r}")
            out.append((e[0], e[1], f"{cpath}[{i}][1]"))
        return out
    if isinstance(children, dict):
        for k in children:
            if re.match(r"^(0|[1-9]\d*)$", k):
                raise SpecError(cpath, f"expected names that are not integers in an object, got {k!r}")
        return [(k, c, _join(cpath, k)) for k, c in children.items()]
    raise SpecError(cpath, f"expected an object of named nodes, got {children!r}")


def build(node, path=""):
    """Build the module a spec node describes, drawing from the default generator in PyTorch's order."""
    if not isinstance(node, dict):
        raise SpecError(path, f"expected a spec node object, got {node!r}")
    unknown = set(node) - NODE_KEYS
    if unknown:
        raise SpecError(_join(path, sorted(unknown)[0]), "unknown node key")
    type_ = node.get("type")
    if type_ in CONTAINERS:
        if type_ == "Sequential" and isinstance(node.get("children", []), list) and all(
                not isinstance(c, list) for c in node.get("children", [])):
            mods = [build(c, f"{_join(path, 'children')}[{i}]") for i, c in enumerate(node.get("children", []))]
            return nn.Sequential(*mods)
        if type_ == "Residual" and isinstance(node.get("children", []), list) and all(
                not isinstance(c, list) for c in node.get("children", [])):
            mods = [build(c, f"{_join(path, 'children')}[{i}]") for i, c in enumerate(node.get("children", []))]
            return Residual(*mods)
        if type_ == "ModuleList":
            return nn.ModuleList([build(c, f"{_join(path, 'children')}[{i}]") for i, c in enumerate(node.get("children", []))])
        entries = [(name, build(c, cpath)) for name, c, cpath in _named_children(node, type_, path)]
        if type_ == "Sequential":
            return nn.Sequential(collections.OrderedDict(entries))
        if type_ == "ModuleDict":
            return nn.ModuleDict(collections.OrderedDict(entries))
        if type_ == "Residual":
            if sum(name in SHORTCUT_NAMES for name, _ in entries) > 1:
                raise SpecError(_join(path, "children"), "expected at most one skip-path child ('shortcut' or 'downsample')")
            return Residual(collections.OrderedDict(entries))
        m = nn.Module()
        for name, child in entries:
            m.add_module(name, child)
        return m
    cls = getattr(nn, type_, None) if isinstance(type_, str) else None
    if type_ == "RMSNorm" and cls is None:
        cls = RMSNorm
    if cls is None or not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        raise SpecError(_join(path, "type"), f"unknown torch.nn class {type_!r}")
    # Python evaluates positional arguments, then keyword arguments, left to right, then makes the call.
    args = [_value(v, f"{_join(path, 'args')}[{i}]") for i, v in enumerate(node.get("args", []))]
    kwargs = {}
    for k, v in node.get("kwargs", {}).items():
        kwargs[k] = _value(v, _join(_join(path, "kwargs"), k))
    if "dtype" in kwargs and isinstance(kwargs["dtype"], str):
        kwargs["dtype"] = DTYPES[kwargs["dtype"].replace("torch.", "")]
    drop_bias = False
    if "bias" in kwargs and type_ in ("LayerNorm", "TransformerEncoderLayer", "TransformerDecoderLayer", "Transformer") \
            and not _accepts(cls, "bias"):
        if kwargs["bias"] is True:
            del kwargs["bias"]  # the default on every version
        elif type_ == "LayerNorm":
            del kwargs["bias"]
            drop_bias = True
        else:
            raise SpecError(_join(_join(path, "kwargs"), "bias"), f"bias=False on {type_} needs PyTorch >= 2.1 (this is {torch.__version__})")
    args, kwargs = _coerce_floats(cls, args, kwargs)
    m = cls(*args, **kwargs)
    if drop_bias and getattr(m, "bias", None) is not None:
        m.register_parameter("bias", None)
    return m


def build_seeded(spec, seed, default_dtype=None):
    """torch.manual_seed(seed); build(spec) (optionally under torch.set_default_dtype)."""
    prev = torch.get_default_dtype()
    if default_dtype is not None:
        torch.set_default_dtype(DTYPES[default_dtype])
    try:
        torch.manual_seed(int(seed))
        return build(spec)
    finally:
        torch.set_default_dtype(prev)


def tensor_bytes(t):
    """The raw little-endian bytes of a tensor as safetensors stores them."""
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def bits_hex(t):
    """Hex bit patterns, one per element (4 hex digits for 16-bit dtypes, 8 for 32-bit, 16 for 64-bit)."""
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.float64:
        return [format(int(x), "016x") for x in t.numpy().reshape(-1).view(np.uint64)]
    if t.dtype == torch.float32:
        return [format(int(x), "08x") for x in t.numpy().reshape(-1).view(np.uint32)]
    if t.dtype in (torch.float16, torch.bfloat16):
        return [format(int(x) & 0xFFFF, "04x") for x in t.view(torch.int16).numpy().reshape(-1)]
    return [str(int(x)) for x in t.reshape(-1).tolist()]


def dtype_name(t):
    return str(t.dtype).replace("torch.", "")


def state_record(model):
    """The state dict as JSON-able rows: key, dtype, shape, hex bits (concatenated)."""
    rows = []
    for k, t in model.state_dict().items():
        rows.append({"key": k, "dtype": dtype_name(t), "shape": list(t.shape), "bits": " ".join(bits_hex(t))})
    return rows


def write_safetensors(path, tensors, metadata=None):
    """Write tensors (an ordered mapping) as a safetensors file, in the given order."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    off = 0
    for k, t in tensors.items():
        b = tensor_bytes(t)
        header[k] = {"dtype": ST_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """(ordered list of (key, dtype, shape, raw bytes) in header order, metadata)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"), object_pairs_hook=collections.OrderedDict)
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = []
    for k, info in header.items():
        b, e = info["data_offsets"]
        out.append((k, info["dtype"], list(info["shape"]), data[base + b: base + e]))
    return out, meta


def compare_safetensors(model, path):
    """Compare an initkit safetensors file with model.state_dict(): keys, order, dtypes, shapes, bytes."""
    entries, meta = read_safetensors(path)
    sd = model.state_dict()
    problems = []
    keys = [k for k, _, _, _ in entries]
    if keys != list(sd.keys()):
        problems.append({"what": "keys", "file": keys, "torch": list(sd.keys())})
    for k, dt, shape, raw in entries:
        if k not in sd:
            continue
        t = sd[k]
        if ST_DTYPES[t.dtype] != dt:
            problems.append({"what": "dtype", "key": k, "file": dt, "torch": ST_DTYPES[t.dtype]})
        if list(t.shape) != shape:
            problems.append({"what": "shape", "key": k, "file": shape, "torch": list(t.shape)})
        ref = tensor_bytes(t)
        if ref != raw:
            a = np.frombuffer(raw, dtype=ST_NUMPY[dt]) if len(raw) % np.dtype(ST_NUMPY[dt]).itemsize == 0 else None
            r = np.frombuffer(ref, dtype=ST_NUMPY[dt])
            ndiff = int((a != r).sum()) if a is not None and a.shape == r.shape else -1
            problems.append({"what": "bytes", "key": k, "differing_elements": ndiff})
    return {"ok": not problems, "problems": problems, "metadata": meta, "tensors": len(entries)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("spec", help="spec JSON file ('-' for stdin)")
    ap.add_argument("--seed", type=int, default=0, help="torch.manual_seed(seed) before building")
    ap.add_argument("--default-dtype", choices=["float32", "float64"], help="torch.set_default_dtype while building")
    ap.add_argument("--to-dtype", choices=["float32", "float64", "float16", "bfloat16"], help="model.to(dtype) after building")
    ap.add_argument("--out", help="write the state dict: .safetensors, .json (hex bits), .npz or .pt")
    ap.add_argument("--compare", help="compare an initkit safetensors file with this model's state dict (prints JSON)")
    ap.add_argument("--repr", action="store_true", help="print repr(model)")
    a = ap.parse_args(argv)
    text = sys.stdin.read() if a.spec == "-" else open(a.spec).read()
    spec = json.loads(text, object_pairs_hook=collections.OrderedDict)
    try:
        model = build_seeded(spec, a.seed, a.default_dtype)
    except SpecError as e:
        print(f"spec_to_torch: error: {e}", file=sys.stderr)
        return 2
    if a.to_dtype:
        model = model.to(DTYPES[a.to_dtype])
    if a.repr:
        print(repr(model))
    if a.out:
        sd = model.state_dict()
        if a.out.endswith(".safetensors"):
            write_safetensors(a.out, sd, {"format": "pt"})
        elif a.out.endswith(".json"):
            with open(a.out, "w") as f:
                json.dump({"torch": torch.__version__, "seed": a.seed, "state": state_record(model)}, f)
        elif a.out.endswith(".npz"):
            np.savez(a.out, **{k: (v.float() if v.dtype == torch.bfloat16 else v).numpy() for k, v in sd.items()})
        else:
            torch.save(sd, a.out)
    if a.compare:
        r = compare_safetensors(model, a.compare)
        print(json.dumps(r))
        return 0 if r["ok"] else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
