#!/usr/bin/env python3
"""An independent safetensors reader and writer (struct + json + numpy; torch for bfloat16), for the oracle tests.

It does not use the `safetensors` package (not installed here); it follows the format description at
https://github.com/huggingface/safetensors#format and the validation of the Rust reference implementation
(`SafeTensors::read_metadata` / `Metadata::validate`):

    [u64 little-endian N][N bytes of UTF-8 JSON, optionally space padded][data section]

    - N <= 100_000_000 and 8 + N <= file size; the header is UTF-8, starts with '{', and is a JSON object;
    - "__metadata__" (optional) maps strings to strings;
    - every other key maps to {"dtype": str, "shape": [int >= 0, ...], "data_offsets": [begin, end]};
    - sorted by offsets, the tensors tile the data section exactly (first begins at 0, each begins where the previous
      ends, the last ends at the end of the file), and end - begin = prod(shape) * itemsize.

Usage as a library (the oracle tests do this):

    sys.path.insert(0, 'scripts'); import safetensors_check as st
    tensors, metadata, info = st.read_bytes(open(path, 'rb').read())
    data = st.write_bytes([('w', torch.randn(3))], {'k': 'v'}, order='reference')

Usage from the command line, to check a file and print a JSON summary (exit status 1 if malformed):

    /usr/bin/python3 scripts/safetensors_check.py model.safetensors
"""
import hashlib
import json
import struct
import sys

import numpy as np

MAX_HEADER_SIZE = 100_000_000

# safetensors dtype -> (bits per element, numpy dtype; None: BF16 goes through torch; 'unsupported': recognised, not
# decoded here).
DTYPES = {
    'F64': (64, '<f8'),
    'F32': (32, '<f4'),
    'F16': (16, '<f2'),
    'BF16': (16, None),
    'I64': (64, '<i8'),
    'I32': (32, '<i4'),
    'I16': (16, '<i2'),
    'I8': (8, 'i1'),
    'U8': (8, 'u1'),
    'U16': (16, '<u2'),
    'U32': (32, '<u4'),
    'U64': (64, '<u8'),
    'BOOL': (8, 'u1'),
    'F8_E5M2': (8, 'unsupported'),
    'F8_E4M3': (8, 'unsupported'),
    'F8_E8M0': (8, 'unsupported'),
    'F6_E2M3': (6, 'unsupported'),
    'F6_E3M2': (6, 'unsupported'),
    'F4': (4, 'unsupported'),
    'C64': (64, 'unsupported'),
}


class Unsupported(Exception):
    pass


# Reference writer order: descending dtype alignment (the Rust enum order, reversed), then name.
_REFERENCE_RANK = ['BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64',
                   'I64', 'U64']


class Malformed(Exception):
    pass


def _no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise Malformed('duplicate key %r in header' % k)
        seen[k] = v
    return seen


def _reject_constant(name):
    raise Malformed('invalid JSON literal %s' % name)


def _check_json(v, depth=1):
    # serde_json (the reference parser) limits nesting to 128 levels and rejects lone surrogates in strings.
    if depth > 128 and isinstance(v, (dict, list)):
        raise Malformed('JSON nested deeper than 128 levels')
    if isinstance(v, str):
        try:
            v.encode('utf-8')
        except UnicodeEncodeError:
            raise Malformed('lone surrogate in a JSON string')
    elif isinstance(v, dict):
        for k, x in v.items():
            _check_json(k, depth)
            _check_json(x, depth + 1)
    elif isinstance(v, list):
        for x in v:
            _check_json(x, depth + 1)


def read_header(data):
    """Validate the header; return (n, header dict in key order, metadata dict)."""
    if len(data) < 8:
        raise Malformed('file shorter than 8 bytes')
    (n,) = struct.unpack('<Q', data[:8])
    if n > MAX_HEADER_SIZE:
        raise Malformed('header length %d > %d' % (n, MAX_HEADER_SIZE))
    if 8 + n > len(data):
        raise Malformed('header length %d beyond the file (%d bytes)' % (n, len(data)))
    raw = data[8:8 + n]
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        raise Malformed('header is not UTF-8: %s' % e)
    if not text.startswith('{'):
        raise Malformed("header does not start with '{'")
    try:
        header = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as e:
        raise Malformed('header is not JSON: %s' % e)
    _check_json(header)
    if not isinstance(header, dict):
        raise Malformed('header is not an object')
    metadata = header.get('__metadata__')
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise Malformed('__metadata__ is not a map of strings')
    entries = []
    for name, info in header.items():
        if name == '__metadata__':
            continue
        if not isinstance(info, dict):
            raise Malformed('%s: not an object' % name)
        dtype, shape, offsets = info.get('dtype'), info.get('shape'), info.get('data_offsets')
        if dtype not in DTYPES:
            raise Malformed('%s: unknown dtype %r' % (name, dtype))
        # initkit (like any JavaScript reader) needs sizes below 2^53; the reference accepts up to 2^64 - 1.
        if not isinstance(shape, list) or not all(type(d) is int and 0 <= d < 2 ** 53 for d in shape):
            raise Malformed('%s: bad shape %r' % (name, shape))
        if (not isinstance(offsets, list) or len(offsets) != 2
                or not all(type(o) is int and 0 <= o < 2 ** 53 for o in offsets)):
            raise Malformed('%s: bad data_offsets %r' % (name, offsets))
        entries.append((name, dtype, shape, offsets))
    start = 0
    for name, dtype, shape, (b, e) in sorted(entries, key=lambda x: (x[3][0], x[3][1])):
        if b != start or e < b:
            raise Malformed('%s: offsets [%d, %d] do not continue at %d' % (name, b, e, start))
        start = e
        nbits = 1
        for d in shape:
            nbits *= d
        nbits *= DTYPES[dtype][0]
        if nbits % 8 != 0 or e - b != nbits // 8:
            raise Malformed('%s: %d bytes for shape %r of %s' % (name, e - b, shape, dtype))
    if 8 + n + start != len(data):
        raise Malformed('data section is %d bytes, tensors cover %d' % (len(data) - 8 - n, start))
    return n, header, metadata


def read_bytes(data):
    """Parse a whole file. Returns (tensors: dict name -> torch.Tensor (numpy array for U16/U32/U64) in header order,
    metadata, info) where
    info = {'n': header length, 'aligned': n % 8 == 0, 'order': [names in header order], 'dtypes': {name: dtype}}."""
    import torch
    n, header, metadata = read_header(data)
    base = 8 + n
    tensors = {}
    dtypes = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        b, e = info['data_offsets']
        buf = data[base + b:base + e]
        dtype = info['dtype']
        shape = info['shape']
        if DTYPES[dtype][1] == 'unsupported':
            raise Unsupported('%s: dtype %s is not decoded by this reader' % (name, dtype))
        if dtype == 'BF16':
            u16 = np.frombuffer(buf, dtype='<u2').astype(np.uint16)
            t = torch.from_numpy(u16.view(np.int16).copy()).view(torch.bfloat16)
        elif dtype == 'BOOL':
            u8 = np.frombuffer(buf, dtype='u1')
            if np.any(u8 > 1):
                raise Malformed('%s: BOOL byte other than 0 or 1' % name)
            t = torch.from_numpy(u8.astype(np.bool_))
        else:
            arr = np.frombuffer(buf, dtype=DTYPES[dtype][1]).astype(np.dtype(DTYPES[dtype][1]).newbyteorder('='))
            # torch 1.13 has no uint16/32/64: those stay numpy arrays.
            t = arr.copy() if dtype in ('U16', 'U32', 'U64') else torch.from_numpy(arr.copy())
        tensors[name] = t.reshape(shape)
        dtypes[name] = dtype
    return tensors, metadata, {'n': n, 'aligned': n % 8 == 0, 'order': list(tensors), 'dtypes': dtypes}


def tensor_bytes(t):
    """(safetensors dtype, little-endian bytes) of a torch tensor."""
    import torch
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        return 'BF16', t.view(torch.int16).numpy().astype('<i2').tobytes()
    table = {
        torch.float64: ('F64', '<f8'), torch.float32: ('F32', '<f4'), torch.float16: ('F16', '<f2'),
        torch.int64: ('I64', '<i8'), torch.int32: ('I32', '<i4'), torch.int16: ('I16', '<i2'),
        torch.int8: ('I8', 'i1'), torch.uint8: ('U8', 'u1'), torch.bool: ('BOOL', 'u1'),
    }
    name, np_dtype = table[t.dtype]
    return name, t.numpy().astype(np_dtype).tobytes()


def write_bytes(tensors, metadata=None, order='given'):
    """Serialize [(name, torch.Tensor)] per the format. order='reference' sorts as the Rust writer does (dtype
    alignment descending, then name); 'given' keeps the list order. Compact JSON, __metadata__ first, spaces to a
    multiple of 8 bytes."""
    items = [(name,) + tensor_bytes(t) + (list(t.shape),) for name, t in tensors]
    if order == 'reference':
        items.sort(key=lambda x: (-_REFERENCE_RANK.index(x[1]), x[0]))
    header = {}
    if metadata is not None:
        header['__metadata__'] = metadata
    offset = 0
    for name, dtype, raw, shape in items:
        header[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    return struct.pack('<Q', len(text)) + text + b''.join(raw for _, _, raw, _ in items)


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    data = open(argv[1], 'rb').read()
    try:
        tensors, metadata, info = read_bytes(data)
    except Malformed as e:
        print('MALFORMED: %s' % e, file=sys.stderr)
        return 1
    except Unsupported as e:
        print('UNSUPPORTED: %s' % e, file=sys.stderr)
        return 1
    print(json.dumps({
        'sha256': hashlib.sha256(data).hexdigest(),
        'bytes': len(data),
        'header_length': info['n'],
        'aligned': info['aligned'],
        'metadata': metadata,
        'tensors': [{'name': k, 'dtype': info['dtypes'][k], 'shape': list(t.shape)} for k, t in tensors.items()],
    }, indent=2))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
