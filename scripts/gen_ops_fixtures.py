"""PyTorch reference for initkit's probe ops (src/analysis/ops): forward outputs and all gradients.

Two modes:
  /usr/bin/python3 scripts/gen_ops_fixtures.py            write tests/fixtures/ops.json (the golden cases below)
  /usr/bin/python3 scripts/gen_ops_fixtures.py --stdin    read a JSON list of cases on stdin, print results (oracle)

A case is {"op", "seed", "inputs": {name: shape}, "args": {...}}. For each case: torch.manual_seed(seed), the float
inputs are drawn with torch.randn in the order listed (times args.scale for activations, with edge values mixed
in), y = op(inputs), g = torch.randn_like(y), and L = sum(y * g) is backpropagated (the probe's loss). The result
holds the inputs, y, g and the gradient of every float input as float32 hex bits, plus extra outputs (batch-norm
mean and rstd, max-pool indices, std/histc values) where the op has them. Single thread, float32, CPU.
"""
import json
import subprocess
import sys
import warnings

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
warnings.filterwarnings("ignore", message="Using padding='same'")


def bits(t):
    a = t.detach().contiguous().to(torch.float32).numpy().reshape(-1).view(np.uint32)
    return "".join(format(int(x), "08x") for x in a)


def enc(t):
    return {"shape": list(t.shape), "bits": bits(t)}


def draw(shape, case):
    """randn(shape), scaled; activations get edge values (tiny, ±0, large, thresholds) over the first elements."""
    x = torch.randn(*shape)
    args = case.get("args", {})
    x = x * args.get("scale", 1.0)
    if case["op"] == "activation" and x.numel() >= 24:
        edge = torch.tensor([0.0, -0.0, 1e-7, -1e-7, 1e-4, -1e-4, -3e-6, 5e-3, -5.5, -9.0, 12.0, 19.99, 20.0, 20.01,
                             -20.0, 1.0, -1.0, 6.0, -0.5, 0.5, 3.0, -3.0, 8.5, -30.0])
        flat = x.view(-1)
        flat[: edge.numel()] = edge
    return x


def conv_pads(dims, weight, args):
    """Per-side padding as nn.Conv*d computes it for padding_mode != 'zeros' (_reversed_padding_repeated_twice)."""
    padding = args.get("padding", 0)
    dilation = args.get("dilation", 1)
    ks = list(weight.shape[2:])
    dil = dilation if isinstance(dilation, list) else [dilation] * dims
    if padding == "same":
        pads = []
        for d, k in zip(dil, ks):
            total = d * (k - 1)
            pads.append((total // 2, total - total // 2))
    elif padding == "valid":
        pads = [(0, 0)] * dims
    else:
        p = padding if isinstance(padding, list) else [padding] * dims
        pads = [(v, v) for v in p]
    rev = []
    for before, after in reversed(pads):
        rev += [before, after]
    return rev


def run_op(case, t, extra):
    op = case["op"]
    a = case.get("args", {})
    if op == "linear":
        return F.linear(t["x"], t["weight"], t.get("bias"))
    if op in ("conv1d", "conv2d"):
        dims = 1 if op == "conv1d" else 2
        fn = F.conv1d if dims == 1 else F.conv2d
        stride = a.get("stride", 1)
        dilation = a.get("dilation", 1)
        groups = a.get("groups", 1)
        mode = a.get("paddingMode", "zeros")
        if mode != "zeros":
            xp = F.pad(t["x"], conv_pads(dims, t["weight"], a), mode=mode)
            return fn(xp, t["weight"], t.get("bias"), stride, 0, dilation, groups)
        return fn(t["x"], t["weight"], t.get("bias"), stride, a.get("padding", 0), dilation, groups)
    if op == "activation":
        kind = a["kind"]
        x = t["x"]
        o = a.get("options", {})
        if kind == "identity":
            return x * 1.0
        if kind == "leaky_relu":
            return F.leaky_relu(x, o.get("negativeSlope", 0.01))
        if kind == "gelu":
            return F.gelu(x, approximate=o.get("approximate", "none"))
        if kind in ("elu", "celu"):
            return getattr(F, kind)(x, alpha=o.get("alpha", 1.0))
        if kind == "softplus":
            return F.softplus(x, beta=o.get("beta", 1.0), threshold=o.get("threshold", 20.0))
        if kind == "hardtanh":
            return F.hardtanh(x, o.get("minVal", -1.0), o.get("maxVal", 1.0))
        if kind in ("tanh", "sigmoid"):
            return getattr(torch, kind)(x)
        return getattr(F, kind)(x)
    if op == "batch_norm":
        y, mean, invstd = torch.ops.aten.native_batch_norm(
            t["x"], t.get("weight"), t.get("bias"), None, None, True, 0.1, a.get("eps", 1e-5))
        extra["mean"] = enc(mean)
        extra["rstd"] = enc(invstd)
        xd = t["x"].detach()
        dims = [0] + list(range(2, xd.dim()))
        extra["varUnbiased"] = enc(xd.var(dim=dims, unbiased=True))
        return y
    if op == "layer_norm":
        ns = a["normalizedShape"]
        y, mean, rstd = torch.ops.aten.native_layer_norm(t["x"], ns, t.get("weight"), t.get("bias"), a.get("eps", 1e-5))
        extra["mean"] = enc(mean.reshape(-1))
        extra["rstd"] = enc(rstd.reshape(-1))
        return y
    if op == "group_norm":
        x = t["x"]
        n, c = x.shape[0], x.shape[1]
        hw = x[0, 0].numel()
        y, mean, rstd = torch.ops.aten.native_group_norm(
            x, t.get("weight"), t.get("bias"), n, c, hw, a["numGroups"], a.get("eps", 1e-5))
        extra["mean"] = enc(mean.reshape(-1))
        extra["rstd"] = enc(rstd.reshape(-1))
        return y
    if op == "rms_norm":
        ns = a["normalizedShape"]
        eps = a.get("eps", torch.finfo(torch.float32).eps)
        dims = list(range(-len(ns), 0))
        # torch >= 2.4's F.rms_norm composite: x * rsqrt(mean(x^2) + eps) * weight
        y = t["x"] * torch.rsqrt(t["x"].pow(2).mean(dims, keepdim=True) + eps)
        return y * t["weight"] if "weight" in t else y
    if op == "embedding":
        idx = t["indices"]
        return F.embedding(idx, t["weight"], padding_idx=a.get("paddingIdx"),
                           scale_grad_by_freq=a.get("scaleGradByFreq", False))
    if op in ("max_pool1d", "max_pool2d"):
        fn = F.max_pool1d if op == "max_pool1d" else F.max_pool2d
        y, idx = fn(t["x"], a["kernelSize"], a.get("stride"), a.get("padding", 0), a.get("dilation", 1),
                    ceil_mode=a.get("ceilMode", False), return_indices=True)
        extra["indices"] = idx.reshape(-1).tolist()
        return y
    if op in ("avg_pool1d", "avg_pool2d"):
        kw = dict(ceil_mode=a.get("ceilMode", False), count_include_pad=a.get("countIncludePad", True))
        if op == "avg_pool2d":
            kw["divisor_override"] = a.get("divisorOverride")
            return F.avg_pool2d(t["x"], a["kernelSize"], a.get("stride"), a.get("padding", 0), **kw)
        return F.avg_pool1d(t["x"], a["kernelSize"], a.get("stride"), a.get("padding", 0), **kw)
    if op == "adaptive_avg_pool1d":
        return F.adaptive_avg_pool1d(t["x"], a["outputSize"])
    if op == "adaptive_avg_pool2d":
        return F.adaptive_avg_pool2d(t["x"], a["outputSize"])
    if op == "flatten":
        return torch.flatten(t["x"], a.get("startDim", 1), a.get("endDim", -1))
    if op == "add":
        return torch.add(t["a"], t["b"], alpha=a.get("alpha", 1))
    if op == "mlp":
        # A residual MLP driven through the tape: h = relu(fc0(x)); h = h + relu(fc1(h)); y = fc2(h)
        h = F.relu(F.linear(t["x"], t["w0"], t["b0"]))
        h = h + F.relu(F.linear(h, t["w1"], t["b1"]))
        return F.linear(h, t["w2"], t["b2"])
    raise SystemExit(f"unknown op {op}")


def run_case(case):
    torch.manual_seed(case["seed"])
    t = {}
    for name, shape in case["inputs"].items():
        if name == "indices":
            t[name] = torch.randint(0, case["args"]["numEmbeddings"], shape)
        else:
            t[name] = draw(shape, case).requires_grad_(True)
    extra = {}
    y = run_op(case, t, extra)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    out = {"case": case, "inputs": {}, "grads": {}, "y": enc(y), "g": enc(g), "extra": extra}
    for name, v in t.items():
        if name == "indices":
            out["inputs"][name] = {"shape": list(v.shape), "values": v.reshape(-1).tolist()}
        else:
            out["inputs"][name] = enc(v)
            if v.grad is not None:
                out["grads"][name] = enc(v.grad)
    if case["op"] == "add":
        ys = y.detach()
        out["extra"]["std"] = float(ys.std())
        out["extra"]["mean"] = float(ys.mean())
        out["extra"]["histc"] = torch.histc(ys, bins=7).tolist()
    return out


ACTS = [
    ("identity", {}), ("relu", {}), ("leaky_relu", {}), ("leaky_relu", {"negativeSlope": 0.2}), ("tanh", {}),
    ("sigmoid", {}), ("gelu", {}), ("gelu", {"approximate": "tanh"}), ("silu", {}), ("elu", {}),
    ("elu", {"alpha": 0.5}), ("selu", {}), ("celu", {"alpha": 2.0}), ("softplus", {}),
    ("softplus", {"beta": 2.0, "threshold": 10.0}), ("mish", {}), ("hardtanh", {}),
    ("hardtanh", {"minVal": -2.0, "maxVal": 0.5}), ("relu6", {}), ("softsign", {}),
]


def golden_cases():
    cases = []
    s = 1000

    def add(op, inputs, args=None):
        nonlocal s
        s += 1
        cases.append({"op": op, "seed": s, "inputs": inputs, "args": args or {}})

    add("linear", {"x": [5, 7], "weight": [3, 7], "bias": [3]})
    add("linear", {"x": [2, 3, 6], "weight": [4, 6]})
    add("linear", {"x": [33, 70], "weight": [65, 70], "bias": [65]})
    add("conv1d", {"x": [2, 4, 11], "weight": [6, 2, 3], "bias": [6]},
        {"stride": 2, "padding": 1, "dilation": 2, "groups": 2})
    add("conv1d", {"x": [2, 3, 10], "weight": [4, 3, 4]}, {"padding": "same"})
    add("conv1d", {"x": [1, 2, 9], "weight": [3, 2, 3], "bias": [3]}, {"padding": 2, "paddingMode": "reflect"})
    add("conv1d", {"x": [2, 2, 7], "weight": [2, 2, 3]}, {"padding": 1, "paddingMode": "circular"})
    add("conv2d", {"x": [2, 3, 9, 8], "weight": [4, 3, 3, 2], "bias": [4]},
        {"stride": [2, 1], "padding": [1, 0], "dilation": [1, 2]})
    add("conv2d", {"x": [2, 4, 6, 6], "weight": [6, 2, 3, 3], "bias": [6]}, {"padding": 1, "groups": 2})
    add("conv2d", {"x": [1, 3, 7, 6], "weight": [2, 3, 2, 3]}, {"padding": "same", "dilation": 2})
    add("conv2d", {"x": [2, 5, 4, 3], "weight": [3, 5, 1, 1], "bias": [3]})
    add("conv2d", {"x": [1, 2, 5, 5], "weight": [2, 2, 3, 3], "bias": [2]}, {"padding": 1, "paddingMode": "replicate"})
    add("conv2d", {"x": [2, 4, 6, 5], "weight": [4, 1, 3, 3]}, {"padding": "valid", "groups": 4, "stride": 2})
    for kind, options in ACTS:
        add("activation", {"x": [96]}, {"kind": kind, "options": options, "scale": 3.0})
    add("batch_norm", {"x": [8, 5], "weight": [5], "bias": [5]})
    add("batch_norm", {"x": [4, 3, 5, 6], "weight": [3], "bias": [3]})
    add("batch_norm", {"x": [4, 3, 7]}, {"eps": 1e-3})
    add("layer_norm", {"x": [4, 6, 10], "weight": [10], "bias": [10]}, {"normalizedShape": [10]})
    add("layer_norm", {"x": [3, 6, 10]}, {"normalizedShape": [6, 10]})
    add("group_norm", {"x": [3, 6, 5, 4], "weight": [6], "bias": [6]}, {"numGroups": 3})
    add("group_norm", {"x": [2, 4, 7]}, {"numGroups": 2, "eps": 1e-3})
    add("rms_norm", {"x": [4, 5, 12], "weight": [12]}, {"normalizedShape": [12]})
    add("rms_norm", {"x": [3, 4, 6]}, {"normalizedShape": [4, 6], "eps": 1e-6})
    add("embedding", {"indices": [3, 5], "weight": [10, 4]}, {"numEmbeddings": 10, "paddingIdx": 2})
    add("embedding", {"indices": [20], "weight": [6, 3]}, {"numEmbeddings": 6, "scaleGradByFreq": True})
    add("max_pool2d", {"x": [2, 3, 9, 8]}, {"kernelSize": 3, "stride": 2, "padding": 1})
    add("max_pool2d", {"x": [1, 2, 10, 9]}, {"kernelSize": [3, 2], "stride": [2, 3], "dilation": [2, 1], "ceilMode": True})
    add("max_pool1d", {"x": [2, 3, 11]}, {"kernelSize": 4, "stride": 3, "padding": 2, "ceilMode": True})
    add("avg_pool2d", {"x": [2, 3, 9, 8]}, {"kernelSize": 3, "stride": 2, "padding": 1})
    add("avg_pool2d", {"x": [1, 2, 7, 7]}, {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": True,
                                            "countIncludePad": False})
    add("avg_pool2d", {"x": [1, 2, 6, 6]}, {"kernelSize": 2, "divisorOverride": 3})
    add("avg_pool1d", {"x": [2, 3, 10]}, {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": True})
    add("adaptive_avg_pool2d", {"x": [2, 3, 7, 5]}, {"outputSize": [3, 2]})
    add("adaptive_avg_pool1d", {"x": [2, 3, 10]}, {"outputSize": 4})
    add("flatten", {"x": [2, 3, 4, 5]}, {"startDim": 1, "endDim": 2})
    add("add", {"a": [4, 9], "b": [4, 9]}, {"alpha": 0.5})
    add("mlp", {"x": [16, 12], "w0": [20, 12], "b0": [20], "w1": [20, 20], "b1": [20], "w2": [5, 20], "b2": [5]})
    return cases


def main():
    if "--stdin" in sys.argv:
        cases = json.load(sys.stdin)
        print(json.dumps([run_case(c) for c in cases]))
        return
    results = [run_case(c) for c in golden_cases()]
    try:
        cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next((l.split(":", 1)[1].strip() for l in cpu.splitlines() if l.startswith("Model name")), "?")
    except Exception:  # pragma: no cover
        model = "?"
    doc = {
        "command": "/usr/bin/python3 scripts/gen_ops_fixtures.py",
        "torch": torch.__version__,
        "numpy": np.__version__,
        "cpu": model,
        "cpu_capability": next((l.split(":", 1)[1].strip() for l in torch.__config__.show().splitlines()
                                if "CPU capability usage" in l), "?"),
        "threads": torch.get_num_threads(),
        "note": "float32 hex bits; inputs drawn with torch.manual_seed(case.seed) then randn per input in order",
        "cases": results,
    }
    with open("tests/fixtures/ops.json", "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote tests/fixtures/ops.json: {len(results)} cases")


if __name__ == "__main__":
    main()
