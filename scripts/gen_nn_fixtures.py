#!/usr/bin/env python3
"""Golden fixtures for src/nn from real PyTorch: every layer type across its options, and composite models.

    /usr/bin/python3 scripts/gen_nn_fixtures.py

writes tests/fixtures/nn-layers.json and tests/fixtures/nn-models.json. Each case is a spec (docs/SPEC.md) built
with scripts/spec_to_torch.py after torch.manual_seed(seed), recording:
  * the state dict: keys in order, dtype, shape, and the values' bits in hex (tensors above 2048 elements as the
    sha256 of their little-endian bytes, plus the first 8 values, to keep the files small);
  * `normal`: set on tensors drawn with normal_ (float64 ones are compared within 4 ulps: the foundation's float64
    normal path uses V8's libm, not glibc's; float32 normals are bit-exact);
  * `next`: the bits of torch.rand(4) drawn right after construction (the generator state must match too);
  * repr(model), and for models the named_parameters / named_buffers / named_modules order and apply()'s order.
tests/nn/fixtures.test.ts compares initkit bit for bit.
"""
import collections
import hashlib
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spec_to_torch as S  # noqa: E402

torch.set_num_threads(1)
SEEDS = [0, 42, -7, 2 ** 32 + 5]
FULL_LIMIT = 2048
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures")


def L(type_, *args, **kwargs):
    node = {"type": type_}
    if args:
        node["args"] = list(args)
    if kwargs:
        node["kwargs"] = kwargs
    return node


def C(type_, children):
    return {"type": type_, "children": children}


def layer_cases():
    cases = []

    def add(name, spec, seeds=None):
        cases.append((name, spec, seeds))

    # linear.py
    add("Linear", L("Linear", 4, 3))
    add("Linear no bias", L("Linear", 5, 7, bias=False))
    add("Linear in_features=0 (bias bound 0)", L("Linear", 0, 3))
    add("Linear out_features=0", L("Linear", 3, 0))
    add("Linear float64", L("Linear", 3, 5, dtype="float64"))
    add("Linear float16", L("Linear", 4, 3, dtype="float16"))
    add("Linear bfloat16", L("Linear", 4, 3, dtype="bfloat16"))
    add("Bilinear", L("Bilinear", 3, 4, 2))
    add("Bilinear no bias", L("Bilinear", 2, 3, 5, bias=False))
    add("Bilinear float64", L("Bilinear", 3, 2, 4, dtype="float64"))
    add("Identity with ignored args", L("Identity", 1, "x", a=2))
    # conv.py
    add("Conv1d", L("Conv1d", 3, 4, 3))
    add("Conv1d strided dilated grouped", L("Conv1d", 4, 6, 5, stride=2, padding=2, dilation=2, groups=2))
    add("Conv1d same no bias", L("Conv1d", 2, 3, 3, padding="same", bias=False))
    add("Conv1d reflect", L("Conv1d", 2, 2, 3, padding=1, padding_mode="reflect"))
    add("Conv2d", L("Conv2d", 3, 8, 3, stride=2, padding=1, bias=False))
    add("Conv2d rect kernel groups", L("Conv2d", 4, 8, [3, 5], groups=4))
    add("Conv2d 1x1 valid", L("Conv2d", 2, 4, 1, padding="valid"))
    add("Conv2d circular tuple args", L("Conv2d", 2, 2, [2, 3], stride=[1, 2], padding=[1, 0], dilation=[2, 1], padding_mode="circular"))
    add("Conv2d float64", L("Conv2d", 2, 3, 2, dtype="float64"))
    # (Conv2d(0, 3, 2) is not here: with fan_in = 0 PyTorch leaves the bias as torch.empty's uninitialized memory.)
    add("Conv3d", L("Conv3d", 2, 4, [3, 3, 1]))
    add("Conv3d grouped", L("Conv3d", 4, 4, 2, groups=2, padding_mode="replicate", padding=1))
    add("ConvTranspose1d", L("ConvTranspose1d", 4, 2, 3))
    add("ConvTranspose1d grouped dilated no bias", L("ConvTranspose1d", 4, 6, 3, groups=2, dilation=2, bias=False))
    add("ConvTranspose2d", L("ConvTranspose2d", 8, 4, 4, stride=2, padding=1, output_padding=1))
    add("ConvTranspose2d grouped", L("ConvTranspose2d", 4, 6, [3, 2], groups=2))
    add("ConvTranspose3d", L("ConvTranspose3d", 2, 4, 2, stride=2))
    add("ConvTranspose3d float64", L("ConvTranspose3d", 2, 2, [1, 2, 2], dtype="float64"))
    # sparse.py
    add("Embedding (16-block normal path)", L("Embedding", 10, 3))
    add("Embedding small (per-element normal path)", L("Embedding", 3, 4))
    add("Embedding padding_idx=0", L("Embedding", 6, 4, padding_idx=0))
    add("Embedding padding_idx=-1", L("Embedding", 5, 4, padding_idx=-1))
    add("Embedding options", L("Embedding", 7, 3, max_norm=1.5, norm_type=3.0, scale_grad_by_freq=True, sparse=True))
    add("Embedding float64 small", L("Embedding", 3, 4, dtype="float64"))
    add("Embedding float64", L("Embedding", 6, 5, dtype="float64"))
    add("Embedding tail (n % 16 != 0)", L("Embedding", 7, 5))
    add("EmbeddingBag", L("EmbeddingBag", 10, 3))
    add("EmbeddingBag sum padding", L("EmbeddingBag", 8, 4, mode="sum", padding_idx=2))
    add("EmbeddingBag max small", L("EmbeddingBag", 4, 3, mode="max", include_last_offset=True))
    # rnn.py
    add("RNN", L("RNN", 3, 5))
    add("RNN relu 2 layers bidirectional", L("RNN", 4, 6, 2, nonlinearity="relu", bidirectional=True))
    add("RNN no bias", L("RNN", 3, 4, bias=False))
    add("LSTM", L("LSTM", 3, 5))
    add("LSTM 2 layers bidirectional proj", L("LSTM", 4, 6, num_layers=2, bidirectional=True, proj_size=3))
    add("LSTM no bias batch_first dropout", L("LSTM", 3, 4, 2, False, True, 0.25))
    add("LSTM proj no bias", L("LSTM", 2, 5, proj_size=2, bias=False))
    add("LSTM float64", L("LSTM", 2, 3, dtype="float64"))
    add("GRU", L("GRU", 3, 4))
    add("GRU 2 layers bidirectional", L("GRU", 3, 4, num_layers=2, bidirectional=True))
    add("RNNCell", L("RNNCell", 3, 4))
    add("RNNCell relu no bias", L("RNNCell", 3, 4, bias=False, nonlinearity="relu"))
    add("LSTMCell", L("LSTMCell", 3, 4))
    add("GRUCell no bias", L("GRUCell", 3, 4, False))
    # batchnorm.py / instancenorm.py / normalization.py
    add("BatchNorm1d", L("BatchNorm1d", 4))
    add("BatchNorm2d affine=False", L("BatchNorm2d", 3, affine=False))
    add("BatchNorm3d no running stats", L("BatchNorm3d", 2, track_running_stats=False))
    add("BatchNorm1d momentum None eps", L("BatchNorm1d", 3, eps=0.001, momentum=None))
    add("BatchNorm2d float64", L("BatchNorm2d", 3, dtype="float64"))
    add("InstanceNorm1d", L("InstanceNorm1d", 3))
    add("InstanceNorm2d affine", L("InstanceNorm2d", 4, affine=True))
    add("InstanceNorm3d running stats", L("InstanceNorm3d", 2, track_running_stats=True))
    add("LayerNorm", L("LayerNorm", 5))
    add("LayerNorm 2-D shape", L("LayerNorm", [2, 3], eps=1e-6))
    add("LayerNorm no affine", L("LayerNorm", 4, elementwise_affine=False))
    add("LayerNorm bias=False (2.1 kwarg)", L("LayerNorm", 4, bias=False))
    add("GroupNorm", L("GroupNorm", 2, 4))
    add("GroupNorm no affine", L("GroupNorm", 3, 6, affine=False))
    add("RMSNorm (2.4 layer)", L("RMSNorm", 6))
    add("RMSNorm 2-D eps", L("RMSNorm", [2, 3], eps=1e-6))
    add("RMSNorm no affine", L("RMSNorm", 4, elementwise_affine=False))
    add("LocalResponseNorm", L("LocalResponseNorm", 3))
    add("CrossMapLRN2d", L("CrossMapLRN2d", 5, alpha=0.002))
    # activation.py
    add("PReLU", L("PReLU"))
    add("PReLU channels init", L("PReLU", 3, 0.1))
    add("PReLU float64", L("PReLU", num_parameters=2, dtype="float64"))
    add("MultiheadAttention", L("MultiheadAttention", 8, 2))
    add("MultiheadAttention no bias", L("MultiheadAttention", 8, 2, bias=False))
    add("MultiheadAttention add_bias_kv (E<16: per-element normal)", L("MultiheadAttention", 8, 2, add_bias_kv=True))
    add("MultiheadAttention add_bias_kv (E=16: block normal)", L("MultiheadAttention", 16, 4, add_bias_kv=True))
    add("MultiheadAttention kdim vdim", L("MultiheadAttention", 8, 2, kdim=4, vdim=6))
    add("MultiheadAttention kdim=vdim!=E everything", L("MultiheadAttention", 8, 4, 0.1, False, True, True, 5, 5, True))
    add("MultiheadAttention float64 add_bias_kv", L("MultiheadAttention", 4, 2, add_bias_kv=True, dtype="float64"))
    # transformer.py
    add("TransformerEncoderLayer", L("TransformerEncoderLayer", 8, 2, 16))
    add("TransformerEncoderLayer gelu norm_first batch_first", L("TransformerEncoderLayer", 8, 4, dim_feedforward=12, dropout=0.2, activation="gelu", batch_first=True, norm_first=True))
    add("TransformerEncoderLayer activation module", L("TransformerEncoderLayer", 4, 2, 8, activation=L("GELU", approximate="tanh")))
    add("TransformerDecoderLayer", L("TransformerDecoderLayer", 8, 2, 16))
    add("TransformerEncoder deep copies + norm", L("TransformerEncoder", L("TransformerEncoderLayer", 8, 2, 16), 3, norm=L("LayerNorm", 8)))
    add("TransformerEncoder keyword layer", L("TransformerEncoder", encoder_layer=L("TransformerEncoderLayer", 4, 1, 8), num_layers=2, enable_nested_tensor=False))
    add("TransformerDecoder", L("TransformerDecoder", L("TransformerDecoderLayer", 4, 2, 8), 2))
    add("Transformer", L("Transformer", d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=16))
    add("Transformer custom encoder", L("Transformer", 4, 2, 1, 1, 8, custom_encoder=L("Linear", 4, 4)))
    # containers
    add("Sequential", C("Sequential", [L("Linear", 3, 4), L("ReLU"), L("Linear", 4, 2)]))
    add("Sequential OrderedDict", C("Sequential", [["fc", L("Linear", 3, 4)], ["act", L("Tanh")], ["out", L("Linear", 4, 1)]]))
    add("ModuleList", C("ModuleList", [L("Linear", 2, 2), L("Conv1d", 2, 2, 1)]))
    add("ModuleDict", C("ModuleDict", {"policy": L("Linear", 4, 2), "value": L("Linear", 4, 1)}))
    add("Module with nested children", C("Module", {"enc": C("Sequential", [L("Linear", 3, 3), L("GELU")]), "head": L("Linear", 3, 2)}))
    # parameter-free layers: state is empty, the draws after construction must be untouched, repr must match
    free = [
        L("ReLU"), L("ReLU", inplace=True), L("ReLU6"), L("SELU"), L("SiLU"), L("Mish"), L("Hardsigmoid"), L("Hardswish"),
        L("Sigmoid"), L("Tanh"), L("Softsign"), L("Tanhshrink"), L("LogSigmoid"), L("Softmax2d"), L("ELU"), L("ELU", alpha=0.5, inplace=True),
        L("CELU"), L("LeakyReLU"), L("LeakyReLU", 0.2), L("RReLU"), L("Hardtanh"), L("Hardtanh", -2.5, 2.5), L("Threshold", 0.1, 20),
        L("GELU"), L("GELU", approximate="tanh"), L("GLU"), L("Hardshrink"), L("Softshrink", 0.25), L("Softplus"), L("Softplus", beta=2, threshold=10),
        L("Softmax", dim=1), L("Softmax"), L("Softmin", dim=0), L("LogSoftmax", dim=-1),
        L("Dropout"), L("Dropout", 0.1), L("Dropout1d", 0.25), L("Dropout2d"), L("Dropout3d", p=0.75), L("AlphaDropout", 0.05), L("FeatureAlphaDropout"),
    ]
    shapes = [
        L("Flatten"), L("Flatten", 0, 2), L("Unflatten", 1, [2, 5]),
        L("MaxPool1d", 2), L("MaxPool2d", 2), L("MaxPool2d", [3, 2], stride=[2, 1], padding=1, dilation=2, ceil_mode=True), L("MaxPool3d", 2, 1),
        L("AvgPool1d", 3), L("AvgPool1d", 3, 2, 1), L("AvgPool2d", 2), L("AvgPool2d", [2, 3], padding=[1, 1], divisor_override=3), L("AvgPool3d", 2, stride=1),
        L("MaxUnpool1d", 2), L("MaxUnpool2d", 2, stride=1), L("MaxUnpool3d", [1, 2, 2]),
        L("AdaptiveAvgPool1d", 4), L("AdaptiveAvgPool2d", 1), L("AdaptiveAvgPool2d", [None, 7]), L("AdaptiveAvgPool3d", [2, 2, 2]),
        L("AdaptiveMaxPool1d", 3), L("AdaptiveMaxPool2d", [4, 4], return_indices=True), L("AdaptiveMaxPool3d", 1),
        L("LPPool1d", 2, 3), L("LPPool2d", 1.5, [2, 2], stride=2),
        L("ZeroPad2d", 1), L("ZeroPad2d", [1, 2, 0, 1]), L("ConstantPad1d", 2, 3.5), L("ConstantPad2d", [1, 0, 1, 0], 0.5), L("ConstantPad3d", 1, 0.0),
        L("ReflectionPad1d", 2), L("ReflectionPad2d", [1, 1, 2, 2]), L("ReflectionPad3d", 1),
        L("ReplicationPad1d", [1, 2]), L("ReplicationPad2d", 1), L("ReplicationPad3d", 2),
        L("Upsample", scale_factor=2), L("Upsample", size=[4, 4], mode="bilinear", align_corners=False), L("Upsample", scale_factor=[1.5, 2], mode="nearest"),
        L("UpsamplingNearest2d", scale_factor=2), L("UpsamplingBilinear2d", size=8),
        L("PixelShuffle", 2), L("PixelUnshuffle", 3), L("ChannelShuffle", 2),
        L("Fold", [4, 5], [2, 2]), L("Unfold", [2, 3], dilation=1, padding=1, stride=2),
        L("PairwiseDistance"), L("CosineSimilarity", dim=0), L("LocalResponseNorm", 2, 0.0002, 0.5, 2.0),
    ]
    add("parameter-free activations and dropouts", C("Sequential", free), [0])
    add("parameter-free shape, pooling and padding layers", C("Sequential", shapes), [0])
    return cases


def dqn():
    dims = [4, 32, 64, 128, 128, 128, 2]
    ch = []
    for i in range(len(dims) - 1):
        ch.append(L("Linear", dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            ch.append(L("ReLU"))
    return C("Sequential", ch)


def model_cases():
    cnn = C("Sequential", [
        L("Conv2d", 1, 8, 3, padding=1), L("BatchNorm2d", 8), L("ReLU"), L("MaxPool2d", 2),
        L("Conv2d", 8, 16, 3), L("BatchNorm2d", 16), L("ReLU"), L("AdaptiveAvgPool2d", 1), L("Flatten"), L("Dropout", 0.25),
        L("Linear", 16, 10),
    ])
    lstm_lm = C("Module", {
        "embed": L("Embedding", 50, 16, padding_idx=0),
        "lstm": L("LSTM", 16, 32, num_layers=2, batch_first=True, dropout=0.1),
        "drop": L("Dropout", 0.1),
        "head": L("Linear", 32, 50),
    })
    gpt = C("Module", {
        "wte": L("Embedding", 64, 16),
        "wpe": L("Embedding", 8, 16),
        "blocks": C("ModuleList", [L("TransformerEncoderLayer", 16, 4, 64, 0.0, "gelu", batch_first=True, norm_first=True) for _ in range(2)]),
        "ln_f": L("LayerNorm", 16),
        "head": L("Linear", 16, 64, bias=False),
    })
    return [
        ("DQN MLP (Linear 4-32-64-128-128-128-2, ReLU)", dqn(), [0, 42, -7, 2 ** 32 + 5]),
        ("small CNN", cnn, [0, 42]),
        ("LSTM language model", lstm_lm, [0, -7]),
        ("Transformer (small dims)", L("Transformer", d_model=16, nhead=4, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=32), [0, 2 ** 32 + 5]),
        ("TransformerEncoder with deep-copied layers", L("TransformerEncoder", L("TransformerEncoderLayer", 16, 4, 32), 3, L("LayerNorm", 16)), [0, 42]),
        ("GPT-like (separately built blocks)", gpt, [42]),
        ("MHA + RNN mix in a ModuleDict", C("ModuleDict", {"attn": L("MultiheadAttention", 8, 2, kdim=3, vdim=5, add_bias_kv=True), "gru": L("GRU", 5, 8, bidirectional=True)}), [-7]),
    ]


def tensor_record(t):
    bits = S.bits_hex(t)
    rec = {"dtype": S.dtype_name(t), "shape": list(t.shape)}
    if len(bits) <= FULL_LIMIT or t.dtype in (torch.float16, torch.bfloat16, torch.int64):
        rec["bits"] = " ".join(bits)
    else:
        rec["sha256"] = hashlib.sha256(S.tensor_bytes(t)).hexdigest()
        rec["head"] = " ".join(bits[:8])
    return rec


def normal_keys(model):
    """State-dict keys initialized with normal_ (exact in float32; float64 is compared within 4 ulps)."""
    keys = set()
    for name, m in model.named_modules():
        p = f"{name}." if name else ""
        if isinstance(m, (torch.nn.Embedding, torch.nn.EmbeddingBag)):
            keys.add(p + "weight")
        if isinstance(m, torch.nn.MultiheadAttention):
            keys.update({p + "bias_k", p + "bias_v"})
    return keys


def record(name, spec, seed, with_orders):
    model = S.build_seeded(spec, seed)
    normals = normal_keys(model)
    nxt = S.bits_hex(torch.rand(4))
    out = collections.OrderedDict()
    out["name"] = name
    out["seed"] = seed
    out["spec"] = spec
    out["state"] = [dict(key=k, **tensor_record(t), **({"normal": True} if k in normals else {})) for k, t in model.state_dict().items()]
    out["next"] = " ".join(nxt)
    out["repr"] = repr(model)
    out["numParameters"] = sum(p.numel() for p in model.parameters())
    if with_orders:
        names = {id(m): n for n, m in model.named_modules()}
        order = []
        model.apply(lambda m: order.append(names[id(m)]))
        out["namedParameters"] = [n for n, _ in model.named_parameters()]
        out["namedBuffers"] = [n for n, _ in model.named_buffers()]
        out["namedModules"] = [n for n, _ in model.named_modules()]
        out["namedChildren"] = [n for n, _ in model.named_children()]
        out["applyOrder"] = order
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    header = {
        "generator": "scripts/gen_nn_fixtures.py",
        "command": "/usr/bin/python3 scripts/gen_nn_fixtures.py",
        "torch": torch.__version__,
        "cpu_capability": torch.backends.cpu.get_cpu_capability() if hasattr(torch.backends, "cpu") else "unknown",
    }
    layers = []
    for i, (name, spec, seeds) in enumerate(layer_cases()):
        for seed in seeds or [SEEDS[i % 4], SEEDS[(i + 1) % 4]]:
            layers.append(record(name, spec, seed, with_orders=False))
    models = []
    for name, spec, seeds in model_cases():
        for seed in seeds:
            models.append(record(name, spec, seed, with_orders=True))
    for fname, cases in (("nn-layers.json", layers), ("nn-models.json", models)):
        path = os.path.join(OUT, fname)
        with open(path, "w") as f:
            json.dump(dict(header, cases=cases), f, indent=0, separators=(",", ":"))
            f.write("\n")
        print(f"wrote {path}: {len(cases)} cases, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
