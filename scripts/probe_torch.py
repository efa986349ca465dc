#!/usr/bin/env python3
"""The probe in PyTorch: the reference for initkit's `probe()` (src/analysis/probe.ts, docs/DIAGNOSE.md).

    python3 scripts/probe_torch.py spec.json --seed 0 --input-shape 4 [--batch 256] [--preset he] \\
        [--rules rules.json] [--bins 30] [--float64] [--out probe.json]
    python3 scripts/probe_torch.py --cases cases.json     # a JSON list of cases (or '-' for stdin), prints a list

What it does, exactly as initkit does it:

    torch.manual_seed(seed)
    model = build(spec)                          # scripts/spec_to_torch.py, PyTorch's construction draws
    model.apply(preset_fn); model.apply(rules_fn)  # only for a preset other than torch, or rules
    x = torch.randn(batch, *input_shape)         # torch.randint(0, num_embeddings, ...) for an Embedding first
    y = forward(model, x)                        # initkit's graph conventions, BatchNorm in training mode
    g = torch.randn_like(y)
    (y * g).sum().backward()

and per leaf module (named as `named_modules()`, in execution order): the output's mean, std (Bessel), min, max,
fraction of exact zeros, `torch.histc(y, bins, y.min(), y.max())`, the std of dL/d(output) (a tensor hook) and of
dL/d(parameter) for the module's own parameters. Statistics are computed in float64 from the float32 values.

The forward follows initkit's conventions (src/analysis/graph.ts), because a spec's `Module` containers have no
Python forward: Sequential / ModuleList / ModuleDict / Module run their children in order, an empty one is the
identity; `Residual` is `shortcut(x) + body(x)` (body first); Dropout is the identity (the probe is
deterministic); `inplace=True` activations run out of place (same values; in place would overwrite the previous
layer's recorded output); `RMSNorm` on PyTorch < 2.4 runs PyTorch 2.4's formula.

With --float64 (a case's "float64": true) the same program is run again in float64 (the model deep-copied before the
pass, .double(), the same x and g values) and reported under "float64": the exact answer that float32 passes, this
one and initkit's, approximate (tests/analysis/probe-helpers.ts compares against both).

Init presets mirrored as PyTorch programs (as tests/oracle/presets.test.ts checks them bit for bit): `torch` (none),
`he` (kaiming_normal_(fan_in, relu) on Linear/Conv/RNN weights), `xavier` (xavier_uniform_), `lecun`
(normal_(0, 1/sqrt(fan_in))), `torchvision-resnet`; every bias zeroed by the textbook presets. Rules files
(docs/PRESETS.md) are applied as `model.apply(rules_fn)` for rules whose `init` is a torch.nn.init function
(PyTorch spelling) and whose `match` uses `module`, `param` and `path` (globs); later rules win.
"""
import argparse
import collections
import copy
import json
import math
import os
import re
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec_to_torch import SHORTCUT_NAMES, Residual, build  # noqa: E402

I = torch.nn.init  # noqa: E741
CONTAINERS = (nn.Sequential, nn.ModuleList, nn.ModuleDict)
DROPOUTS = (nn.Dropout, nn.Dropout1d if hasattr(nn, "Dropout1d") else nn.Dropout, nn.Dropout2d, nn.Dropout3d,
            nn.AlphaDropout, nn.FeatureAlphaDropout)
WEIGHTED = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d,
            nn.Bilinear)


class ProbeError(ValueError):
    pass


# ---- inits -------------------------------------------------------------------------------------------------------

def scheme_fn(name):
    """The textbook presets as model.apply functions (tests/oracle/presets.test.ts's scheme_fn)."""
    def fn(m):
        for pname, p in list(m.named_parameters(recurse=False)):
            if p.dim() == 1 and (pname == "bias" or pname.startswith("bias_") or pname == "in_proj_bias"):
                if not isinstance(m, nn.PReLU):
                    I.zeros_(p)
                continue
            is_weight = isinstance(m, WEIGHTED) and pname == "weight"
            is_weight = is_weight or (isinstance(m, (nn.RNNBase, nn.RNNCellBase)) and pname.startswith("weight_"))
            if not is_weight or p.dim() < 2:
                continue
            if name == "he":
                I.kaiming_normal_(p, mode="fan_in", nonlinearity="relu")
            elif name == "xavier":
                I.xavier_uniform_(p)
            else:
                fan_in, _ = I._calculate_fan_in_and_fan_out(p)
                I.normal_(p, 0, math.sqrt(1.0 / max(1, fan_in)))
    return fn


def apply_preset(model, preset):
    if preset in (None, "torch"):
        return
    if preset == "torchvision-resnet":
        for mod in model.modules():
            if isinstance(mod, nn.Conv2d):
                I.kaiming_normal_(mod.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(mod, (nn.BatchNorm2d, nn.GroupNorm)):
                I.constant_(mod.weight, 1)
                I.constant_(mod.bias, 0)
        return
    if preset not in ("he", "xavier", "lecun"):
        raise ProbeError(f"preset {preset!r}: probe_torch.py mirrors torch, he, xavier, lecun and torchvision-resnet")
    model.apply(scheme_fn(preset))


def _glob(pattern):
    """initkit's path globs: `*` one dotted segment, `**` any number, `?` one character."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^.]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^.]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(f"^{out}$")


def _matches(field, value):
    if field is None:
        return True
    alts = field if isinstance(field, list) else [field]
    return any(_glob(a).match(value) for a in alts)


def apply_rules(model, rules_doc):
    """model.apply(rules_fn): for each module (children first), each own parameter, the last matching rule."""
    rules = rules_doc.get("rules", []) if isinstance(rules_doc, dict) else rules_doc
    names = {id(m): n for n, m in model.named_modules()}

    def fn(m):
        prefix = names.get(id(m), "")
        for pname, p in m.named_parameters(recurse=False):
            path = f"{prefix}.{pname}" if prefix else pname
            winner = None
            for r in rules:
                mt = r.get("match", {})
                if _matches(mt.get("module"), type(m).__name__) and _matches(mt.get("param"), pname) \
                        and _matches(mt.get("path"), path):
                    winner = r
            if winner is None or winner.get("init") == "keep":
                continue
            if "seed" in winner:
                torch.manual_seed(winner["seed"])
            init = winner["init"]
            fn_ = getattr(I, init, None)
            if fn_ is None or not init.endswith("_"):
                raise ProbeError(f"rule init {init!r}: probe_torch.py applies torch.nn.init functions (PyTorch spelling)")
            fn_(p, **winner.get("args", {}))
    model.apply(fn)


# ---- forward -----------------------------------------------------------------------------------------------------

def _rms_norm(m, x):
    """PyTorch 2.4's F.rms_norm: x * rsqrt(mean(x^2) + eps) * weight, eps=None meaning finfo(dtype).eps."""
    if hasattr(F, "rms_norm"):
        return F.rms_norm(x, m.normalized_shape, m.weight, m.eps)
    dims = tuple(range(-len(m.normalized_shape), 0))
    eps = m.eps if m.eps is not None else torch.finfo(x.dtype).eps
    y = x * torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + eps)
    return y * m.weight if m.weight is not None else y


def _leaf_call(m, x):
    if isinstance(m, DROPOUTS) or isinstance(m, nn.Identity):
        return x
    if type(m).__name__ == "RMSNorm":
        return _rms_norm(m, x)
    if getattr(m, "inplace", False):
        m.inplace = False
        try:
            return m(x)
        finally:
            m.inplace = True
    return m(x)


def forward(m, x, name, record):
    """Run module m on x by initkit's graph conventions; `record(name, module, y)` for every leaf."""
    if isinstance(m, Residual):
        body = x
        for k, c in m._modules.items():
            if k not in SHORTCUT_NAMES:
                body = forward(c, body, f"{name}.{k}" if name else k, record)
        skip = x
        for k in SHORTCUT_NAMES:
            if k in m._modules:
                skip = forward(m._modules[k], x, f"{name}.{k}" if name else k, record)
        return body + skip
    kids = [(k, c) for k, c in m._modules.items() if c is not None]
    if (isinstance(m, CONTAINERS) or type(m) is nn.Module) and kids:
        for k, c in kids:
            x = forward(c, x, f"{name}.{k}" if name else k, record)
        return x
    y = x if (isinstance(m, CONTAINERS) or type(m) is nn.Module) else _leaf_call(m, x)
    record(name, m, y)
    return y


def _stats(t, bins):
    v = t.detach().double()
    mn, mx = v.min().item(), v.max().item()
    counts = torch.histc(v, bins=bins, min=mn, max=mx)
    lo, hi = (mn, mx) if mn != mx else (mn - 1, mx + 1)
    return {
        "outputMean": v.mean().item(),
        "outputStd": v.std().item() if v.numel() > 1 else float("nan"),
        "outputMin": mn,
        "outputMax": mx,
        "zeroFraction": (v == 0).double().mean().item(),
        "histogram": {"edges": [lo + (hi - lo) * i / bins for i in range(bins + 1)],
                      "counts": [int(c) for c in counts.tolist()]},
    }


def _dstd(t):
    v = t.detach().double()
    return v.std().item() if v.numel() > 1 else float("nan")


def first_leaf(m):
    """The first leaf module in execution order (to decide whether the input is token ids)."""
    found = []
    forward_leaves(m, found)
    return found[0] if found else None


def forward_leaves(m, out):
    if isinstance(m, Residual):
        for k, c in m._modules.items():
            if k not in SHORTCUT_NAMES:
                forward_leaves(c, out)
        for k in SHORTCUT_NAMES:
            if k in m._modules:
                forward_leaves(m._modules[k], out)
        return
    kids = [c for c in m._modules.values() if c is not None]
    if (isinstance(m, CONTAINERS) or type(m) is nn.Module) and kids:
        for c in kids:
            forward_leaves(c, out)
        return
    out.append(m)


def _pass(model, x, bins, g=None):
    """One forward + backward; g = randn_like(y) is drawn here unless given. Returns (layers, g)."""
    layers = []
    grads = {}

    def record(name, m, y):
        i = len(layers)
        entry = {"name": name, "module": type(m).__name__, "index": i, "shape": list(y.shape)}
        entry.update(_stats(y, bins))
        layers.append((entry, m))
        if y.requires_grad:
            y.register_hook(lambda gr, i=i: grads.__setitem__(i, _dstd(gr)))

    y = forward(model, x, "", record)
    if g is None:
        g = torch.randn_like(y)
    (y * g.to(y.dtype)).sum().backward()
    out = []
    for i, (entry, m) in enumerate(layers):
        entry["gradOutputStd"] = grads.get(i, float("nan"))
        entry["paramGradStd"] = {k: _dstd(p.grad) for k, p in m._parameters.items() if p is not None and p.grad is not None}
        out.append(entry)
    return out, g


def probe_model(model, batch, input_shape, bins=30, float64=False):
    """The probe on a built (and initialized) model, drawing x and g from the default generator.

    With float64=True, the same program is run again in float64 (model.double(), the same x and g values) and
    returned under "float64": the exact answer the float32 passes (PyTorch's and initkit's) approximate."""
    model.train()
    first = first_leaf(model)
    if isinstance(first, nn.Embedding):
        x = torch.randint(0, first.num_embeddings, (batch, *input_shape))
    else:
        x = torch.randn(batch, *input_shape).requires_grad_(True)
    model64 = copy.deepcopy(model).double() if float64 else None
    out, g = _pass(model, x, bins)
    input_std = _dstd(x) if x.is_floating_point() else (out[0]["outputStd"] if out else float("nan"))
    result = {"torch": torch.__version__, "inputStd": input_std, "inputShape": list(input_shape), "batch": batch,
              "layers": out}
    if float64:
        x64 = x.detach().double().requires_grad_(True) if x.is_floating_point() else x
        result["float64"], _ = _pass(model64, x64, bins, g.double())
    return result


def probe_case(case):
    """One case: {spec, seed, inputShape, batch?, preset?, rules?, bins?, float64?}."""
    torch.manual_seed(int(case["seed"]))
    model = build(case["spec"])
    apply_preset(model, case.get("preset"))
    if case.get("rules"):
        apply_rules(model, case["rules"])
    r = probe_model(model, int(case.get("batch", 256)), [int(d) for d in case["inputShape"]], int(case.get("bins", 30)),
                    bool(case.get("float64", False)))
    r["seed"] = case["seed"]
    return r


def _json_safe(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: _json_safe(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_json_safe(x) for x in v]
    return v


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("spec", nargs="?", help="spec JSON file ('-' for stdin)")
    ap.add_argument("--seed", type=int, default=0, help="torch.manual_seed(seed) before building")
    ap.add_argument("--input-shape", help="input shape without the batch dimension, e.g. 784 or 3,32,32")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--preset", default="torch", help="torch (default), he, xavier, lecun, torchvision-resnet")
    ap.add_argument("--rules", help="init rules JSON (docs/PRESETS.md), applied after the preset")
    ap.add_argument("--bins", type=int, default=30)
    ap.add_argument("--float64", action="store_true", help="also run the same program in float64 (under \"float64\")")
    ap.add_argument("--cases", help="a JSON list of cases {spec, seed, inputShape, batch, preset, rules, bins} ('-': stdin)")
    ap.add_argument("--out", help="write the JSON here instead of stdout")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    if a.cases:
        text = sys.stdin.read() if a.cases == "-" else open(a.cases).read()
        result = [probe_case(c) for c in json.loads(text, object_pairs_hook=collections.OrderedDict)]
    else:
        if a.spec is None or a.input_shape is None:
            ap.error("a spec and --input-shape are required (or --cases)")
        text = sys.stdin.read() if a.spec == "-" else open(a.spec).read()
        spec = json.loads(text, object_pairs_hook=collections.OrderedDict)
        rules = json.load(open(a.rules)) if a.rules else None
        shape = [int(d) for d in re.split(r"[,x\s]+", a.input_shape.strip()) if d]
        result = probe_case({"spec": spec, "seed": a.seed, "inputShape": shape, "batch": a.batch, "preset": a.preset,
                             "rules": rules, "bins": a.bins, "float64": a.float64})
    text = json.dumps(_json_safe(result))
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
