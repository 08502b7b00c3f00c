"""ICC profiles written from their published primaries, so that tests need no profile files.

A matrix/TRC display profile (ICC v2) is three colorants, a white point and a tone curve;
the colorants are the primaries' XYZ under D65, adapted to the D50 of the PCS (Bradford).
"""

import struct

# Published chromaticities (x, y) of the red, green and blue primaries; both spaces are D65.
ADOBE_RGB = ((0.64, 0.33), (0.21, 0.71), (0.15, 0.06))
DISPLAY_P3 = ((0.680, 0.320), (0.265, 0.690), (0.150, 0.060))
D65 = (0.3127, 0.3290)
D50_XYZ = (0.9642, 1.0, 0.8249)
BRADFORD = ((0.8951, 0.2664, -0.1614), (-0.7502, 1.7135, 0.0367), (0.0389, -0.0685, 1.0296))


def adobe_rgb() -> bytes:
    """Adobe RGB (1998): a pure gamma of 563/256."""
    return matrix_profile("Adobe RGB (1998) test", ADOBE_RGB, gamma=563 / 256)


def display_p3() -> bytes:
    """Display P3: P3 primaries, D65, and the sRGB tone curve."""
    return matrix_profile("Display P3 test", DISPLAY_P3, srgb_curve=True)


def matrix_profile(description: str, primaries, gamma: float = 2.2,
                   srgb_curve: bool = False) -> bytes:
    colorants = _columns(_adapt_to_d50(_rgb_to_xyz(primaries, D65)))
    if srgb_curve:  # IEC 61966-2-1 as a parametric curve of type 3
        curve = b"para" + bytes(4) + struct.pack(">HH", 3, 0) + b"".join(
            _s15(v) for v in (2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045))
    else:
        curve = b"curv" + bytes(4) + struct.pack(">IH", 1, round(gamma * 256)) + bytes(2)
    text = description.encode("ascii") + b"\0"
    desc = (b"desc" + bytes(4) + struct.pack(">I", len(text)) + text + bytes(8)
            + bytes(3) + bytes(67))
    tags = [(b"desc", desc), (b"cprt", b"text" + bytes(4) + b"no copyright\0"),
            (b"wtpt", _xyz(D50_XYZ)),
            (b"rXYZ", _xyz(colorants[0])), (b"gXYZ", _xyz(colorants[1])),
            (b"bXYZ", _xyz(colorants[2])),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    table, body = b"", b""
    offset = 128 + 4 + 12 * len(tags)
    for signature, data in tags:
        data += bytes(-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (struct.pack(">I", size) + bytes(4) + struct.pack(">I", 0x02100000)
              + b"mntr" + b"RGB " + b"XYZ " + bytes(12) + b"acsp" + bytes(4)
              + bytes(4) + bytes(4) + bytes(4) + bytes(8) + bytes(4)
              + b"".join(_s15(v) for v in D50_XYZ) + bytes(4) + bytes(16) + bytes(28))
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(xyz) -> bytes:
    return b"XYZ " + bytes(4) + b"".join(_s15(v) for v in xyz)


def _xyz_of(x: float, y: float) -> tuple[float, float, float]:
    return x / y, 1.0, (1 - x - y) / y


def _rgb_to_xyz(primaries, white):
    columns = [_xyz_of(*p) for p in primaries]
    matrix = _transpose(columns)
    scale = _solve(matrix, _xyz_of(*white))
    return [[matrix[r][c] * scale[c] for c in range(3)] for r in range(3)]


def _adapt_to_d50(matrix):
    source = _multiply_vector(BRADFORD, _xyz_of(*D65))
    target = _multiply_vector(BRADFORD, D50_XYZ)
    gain = [[target[i] / source[i] if i == j else 0.0 for j in range(3)] for i in range(3)]
    adapt = _multiply(_inverse(BRADFORD), _multiply(gain, BRADFORD))
    return _multiply(adapt, matrix)


def _columns(matrix):
    return [tuple(matrix[r][c] for r in range(3)) for c in range(3)]


def _transpose(m):
    return [[m[c][r] for c in range(3)] for r in range(3)]


def _multiply(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)] for i in range(3)]


def _multiply_vector(m, v):
    return [sum(m[i][k] * v[k] for k in range(3)) for i in range(3)]


def _inverse(m):
    (a, b, c), (d, e, f), (g, h, i) = m
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    return [[(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
            [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
            [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det]]


def _solve(m, v):
    return _multiply_vector(_inverse(m), v)
