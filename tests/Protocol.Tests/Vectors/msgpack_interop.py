#!/usr/bin/python3
"""Interop oracle for the Replicator control protocol, built on Debian's python3-msgpack.

Run by the Protocol.Tests suite (Vectors/InteropTests.cs); usable by hand too:

  msgpack_interop.py decode-control FILE.hex...   one line per file: NAME<TAB>CANONICAL
  msgpack_interop.py decode-value FILE.hex...     one line per file: NAME<TAB>CANONICAL
  msgpack_interop.py generate OUTDIR              write the python-produced vectors

Hex files: hex digits, whitespace ignored, lines starting with '#' are comments.
Canonical text (the C# tests print the same): nil, true, false, decimal integers,
"ascii" for printable-ASCII strings without quote/backslash, s'HEX' for other strings,
h'HEX' for bin, f'HEX' for floats (IEEE 754 binary64, big-endian), [a,b] for arrays, {k:v,k:v} for maps in wire order.
A control datagram prints as: type=T flags=F body=CANONICAL [trailer=KEYID,TIMESTAMP,NONCEHEX mac=ok|bad]
(framed sync files, *.frame.hex, start with a 4-byte big-endian length that must match).
"""
import hashlib
import hmac
import os
import struct
import sys

try:
    import msgpack
except ImportError:
    sys.stderr.write("python3-msgpack is not installed: apt-get install -y python3-msgpack\n")
    sys.exit(3)

MAGIC = b"\x56\x52"
HEADER = 5
TRAILER = 60
# Key used by the signed example vectors (documented in PROTOCOL.md); not a secret.
EXAMPLE_KEY = b"replicator-example-key-000000001"


def read_hex(path):
    text = "".join(line for line in open(path) if not line.lstrip().startswith("#"))
    return bytes.fromhex("".join(text.split()))


def canonical(value):
    if value is None:
        return "nil"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "f'" + struct.pack(">d", value).hex() + "'"
    if isinstance(value, str):
        if all(0x20 <= ord(c) < 0x7F and c not in '"\\' for c in value):
            return '"' + value + '"'
        return "s'" + value.encode("utf-8").hex() + "'"
    if isinstance(value, (bytes, bytearray)):
        return "h'" + bytes(value).hex() + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(canonical(k) + ":" + canonical(v) for k, v in value.items()) + "}"
    raise ValueError("type not used by the protocol: %r" % (type(value),))


def unpack_exact(data):
    # unpackb refuses trailing bytes ("ExtraData"), which is what the protocol wants too.
    return msgpack.unpackb(data, raw=False, strict_map_key=False, use_list=True)


def decode_control(data, framed):
    if framed:
        (length,) = struct.unpack(">I", data[:4])
        if length != len(data) - 4:
            raise ValueError("frame length %d but %d bytes follow" % (length, len(data) - 4))
        data = data[4:]
    if data[:2] != MAGIC or data[2] != 1:
        raise ValueError("bad magic or version")
    msg_type, flags = data[3], data[4]
    end = len(data)
    suffix = ""
    if flags & 1:
        end -= TRAILER
        trailer = data[end:]
        key_id, timestamp = struct.unpack(">Iq", trailer[:12])
        nonce, mac = trailer[12:28], trailer[28:]
        expected = hmac.new(EXAMPLE_KEY, data[:-32], hashlib.sha256).digest()
        suffix = " trailer=%d,%d,%s mac=%s" % (key_id, timestamp, nonce.hex(),
                                               "ok" if hmac.compare_digest(mac, expected) else "bad")
    body = unpack_exact(data[HEADER:end])
    return "type=%d flags=%d body=%s%s" % (msg_type, flags, canonical(body), suffix)


# --- Encoders with a chosen (possibly non-minimal) width, for the python-produced vectors ---

def uint(v, width):
    if width == 0:
        return bytes([v])
    code, fmt = {8: (0xCC, ">B"), 16: (0xCD, ">H"), 32: (0xCE, ">I"), 64: (0xCF, ">Q")}[width]
    return bytes([code]) + struct.pack(fmt, v)


def sint(v, width):
    code, fmt = {8: (0xD0, ">b"), 16: (0xD1, ">h"), 32: (0xD2, ">i"), 64: (0xD3, ">q")}[width]
    return bytes([code]) + struct.pack(fmt, v)


def length_header(n, width, fix_base, codes):
    if width == 0:
        return bytes([fix_base | n])
    code, fmt = codes[width]
    return bytes([code]) + struct.pack(fmt, n)


def text(s, width):
    b = s.encode("utf-8")
    return length_header(len(b), width, 0xA0, {8: (0xD9, ">B"), 16: (0xDA, ">H"), 32: (0xDB, ">I")}) + b


def binary(b, width):
    return length_header(len(b), width, 0, {8: (0xC4, ">B"), 16: (0xC5, ">H"), 32: (0xC6, ">I")}) + b


def array(items, width):
    return length_header(len(items), width, 0x90, {16: (0xDC, ">H"), 32: (0xDD, ">I")}) + b"".join(items)


def mapping(pairs, width):
    return length_header(len(pairs), width, 0x80, {16: (0xDE, ">H"), 32: (0xDF, ">I")}) + b"".join(k + v for k, v in pairs)


def ip(s):
    import ipaddress
    return ipaddress.ip_address(s).packed


def header(msg_type):
    return MAGIC + bytes([1, msg_type, 0])


# The example return-routability cookie (Samples.ExampleCookie, PROTOCOL.md).
COOKIE = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"

# The same sample messages as tests/Protocol.Tests/Control/Samples.cs, as plain structures.
SAMPLES = {
    "register-ipv4": (1, {0: "vtep-a", 1: 90, 2: False, 3: 1, 4: {100: [ip("192.0.2.1")], 200: [ip("192.0.2.1")]}}),
    "register-ipv6": (1, {0: "vtep-b.example", 1: 0, 2: True, 3: 0, 4: {16777215: [ip("2001:db8::1"), ip("2001:db8::2")]}}),
    "peerlist-mixed": (2, {0: 90, 1: {100: [ip("192.0.2.1"), ip("198.51.100.7"), ip("2001:db8::10")], 300: []}, 2: 7, 3: 0, 4: 1}),
    "register-cookie": (1, {0: "vtep-a", 1: 90, 2: False, 3: 1, 4: {100: [ip("192.0.2.1")], 200: [ip("192.0.2.1")]},
                            5: bytes.fromhex(COOKIE)}),
    "peerlist-cookie": (2, {0: 90, 1: {}, 2: 8, 3: 0, 4: 1, 5: bytes.fromhex(COOKIE)}),
    "sync-two": (3, {0: [[100, ip("192.0.2.1"), 85, "vtep-a", 0], [16000000, ip("2001:db8::2"), 0, "vtep-b.example", 3]], 1: True}),
    # Key 6 before key 5: the cookie is always written last (PROTOCOL.md 3.2), and packb keeps the dict's order.
    "register-generations": (1, {0: "vtep-a", 1: 90, 2: False, 3: 1, 4: {100: [ip("192.0.2.1")], 200: [ip("192.0.2.1")]},
                                 6: {100: 41, 200: 0}, 5: bytes.fromhex(COOKIE)}),
    "peerlist-generations": (2, {0: 90, 1: {100: [ip("192.0.2.1"), ip("198.51.100.7")]}, 2: 9, 3: 0, 4: 1, 6: {100: 41}}),
    "peerlist-delta": (2, {0: 90, 1: {}, 2: 10, 3: 0, 4: 1, 7: [[100, 41, 42, [ip("203.0.113.5")], [ip("198.51.100.7")]]],
                           5: bytes.fromhex(COOKIE)}),
    "peerlist-instance": (2, {0: 90, 1: {}, 2: 11, 3: 0, 4: 1, 8: 0xCAFEBABE, 5: bytes.fromhex(COOKIE)}),
    # Key 7: 9 of the 10 parts of peer-list message 12 of instance 0xCAFEBABE held (all but part 6), before the cookie.
    "register-incomplete": (1, {0: "vtep-a", 1: 90, 2: False, 3: 1, 4: {100: [ip("192.0.2.1")], 200: [ip("192.0.2.1")]},
                                6: {100: 41, 200: 0}, 7: [12, 10, bytes.fromhex("fdc0"), 0xCAFEBABE], 5: bytes.fromhex(COOKIE)}),
}


def nonminimal_register_ipv4():
    # Every field in a wider encoding than needed: map32, uint64 keys, str32, uint64 values, bin32.
    vnis = mapping([(uint(100, 64), array([binary(ip("192.0.2.1"), 32)], 32)),
                    (uint(200, 32), array([binary(ip("192.0.2.1"), 16)], 16))], 32)
    return header(1) + mapping([(uint(0, 8), text("vtep-a", 32)), (uint(1, 64), uint(90, 64)),
                                (uint(2, 16), b"\xc2"), (uint(3, 32), uint(1, 16)),
                                (uint(4, 64), vnis)], 32)


def nonminimal_register_ipv6():
    # Keys in another order, non-negative values as signed ints (legal: int format family).
    vnis = mapping([(sint(16777215, 64), array([binary(ip("2001:db8::1"), 8), binary(ip("2001:db8::2"), 8)], 16))], 16)
    return header(1) + mapping([(uint(4, 0), vnis), (sint(3, 8), sint(0, 8)), (uint(0, 0), text("vtep-b.example", 8)),
                                (uint(2, 0), b"\xc3"), (sint(1, 16), sint(0, 32))], 16)


def nonminimal_peerlist_mixed():
    # An unknown key (99, holding a float64 and a nested map) that a version-1 reader must skip.
    vnis = mapping([(uint(100, 16), array([binary(ip("192.0.2.1"), 16), binary(ip("198.51.100.7"), 8),
                                           binary(ip("2001:db8::10"), 32)], 32)),
                    (uint(300, 64), array([], 32))], 32)
    extra = array([b"\xcb" + struct.pack(">d", 1.5), mapping([(text("x", 0), b"\xc0")], 0)], 0)
    return header(2) + mapping([(uint(0, 64), uint(90, 8)), (uint(99, 0), extra), (uint(1, 8), vnis),
                                (uint(2, 16), uint(7, 64)), (uint(3, 8), uint(0, 64)), (uint(4, 32), uint(1, 32))], 16)


def nonminimal_sync_two():
    e1 = array([uint(100, 64), binary(ip("192.0.2.1"), 32), uint(85, 16), text("vtep-a", 16), uint(0, 64)], 32)
    # A sixth, unknown trailing field in an entry is skipped by version-1 readers.
    e2 = array([uint(16000000, 64), binary(ip("2001:db8::2"), 16), uint(0, 8), text("vtep-b.example", 32),
                sint(3, 8), text("future", 0)], 16)
    return header(3) + mapping([(uint(1, 64), b"\xc3"), (uint(0, 16), array([e1, e2], 32))], 32)


def nonminimal_register_cookie():
    # The cookie first and as bin32, the rest widened: key order and widths are the writer's choice.
    vnis = mapping([(uint(100, 16), array([binary(ip("192.0.2.1"), 8)], 16)),
                    (uint(200, 64), array([binary(ip("192.0.2.1"), 32)], 0))], 16)
    return header(1) + mapping([(uint(5, 32), binary(bytes.fromhex(COOKIE), 32)), (uint(0, 0), text("vtep-a", 8)),
                                (uint(1, 16), uint(90, 32)), (uint(2, 0), b"\xc2"), (uint(3, 64), uint(1, 8)),
                                (uint(4, 8), vnis)], 32)


def nonminimal_peerlist_cookie():
    # An empty VNI map as map32, the cookie as bin16 in the middle, an unknown key after it.
    return header(2) + mapping([(uint(1, 16), mapping([], 32)), (uint(5, 8), binary(bytes.fromhex(COOKIE), 16)),
                                (uint(0, 32), uint(90, 16)), (uint(15, 0), text("later", 0)), (uint(4, 0), uint(1, 64)),
                                (uint(2, 64), uint(8, 32)), (uint(3, 16), uint(0, 8))], 16)


def nonminimal_register_generations():
    # The generations first and widened (map16, uint32 VNIs, uint64 generations), the cookie in the middle.
    vnis = mapping([(uint(100, 8), array([binary(ip("192.0.2.1"), 16)], 0)),
                    (uint(200, 16), array([binary(ip("192.0.2.1"), 8)], 16))], 16)
    generations = mapping([(uint(100, 32), uint(41, 64)), (uint(200, 64), uint(0, 16))], 16)
    return header(1) + mapping([(uint(6, 16), generations), (uint(0, 8), text("vtep-a", 16)), (uint(5, 0), binary(bytes.fromhex(COOKIE), 8)),
                                (uint(1, 8), uint(90, 16)), (uint(2, 64), b"\xc2"), (uint(3, 0), uint(1, 32)), (uint(4, 32), vnis)], 32)


def nonminimal_peerlist_generations():
    # An unknown key between the known ones, the generation as a signed int.
    vnis = mapping([(uint(100, 64), array([binary(ip("192.0.2.1"), 32), binary(ip("198.51.100.7"), 16)], 32))], 32)
    return header(2) + mapping([(uint(6, 8), mapping([(sint(100, 16), sint(41, 32))], 32)), (uint(20, 0), array([], 0)),
                                (uint(4, 0), uint(1, 8)), (uint(3, 0), uint(0, 8)), (uint(2, 0), uint(9, 32)),
                                (uint(1, 16), vnis), (uint(0, 64), uint(90, 64))], 16)


def nonminimal_peerlist_delta():
    # A sixth, unknown field in the delta entry, which version-1 readers skip; widths widened.
    entry = array([uint(100, 32), uint(41, 16), uint(42, 64), array([binary(ip("203.0.113.5"), 16)], 16),
                   array([binary(ip("198.51.100.7"), 32)], 32), text("future", 0)], 16)
    return header(2) + mapping([(uint(7, 0), array([entry], 32)), (uint(5, 8), binary(bytes.fromhex(COOKIE), 32)),
                                (uint(0, 0), uint(90, 32)), (uint(1, 0), mapping([], 16)), (uint(2, 8), uint(10, 8)),
                                (uint(3, 32), uint(0, 64)), (uint(4, 16), uint(1, 16))], 32)


def nonminimal_peerlist_instance():
    # The instance first and as a uint64, the cookie in the middle as bin32.
    return header(2) + mapping([(uint(8, 16), uint(0xCAFEBABE, 64)), (uint(0, 0), uint(90, 64)), (uint(5, 0), binary(bytes.fromhex(COOKIE), 32)),
                                (uint(1, 0), mapping([], 16)), (uint(2, 32), uint(11, 16)), (uint(3, 0), uint(0, 0)), (uint(4, 8), uint(1, 8))], 16)


def nonminimal_register_incomplete():
    # The incomplete list first, widened, with a fifth, unknown field that version-1 readers skip.
    vnis = mapping([(uint(100, 16), array([binary(ip("192.0.2.1"), 8)], 0)),
                    (uint(200, 8), array([binary(ip("192.0.2.1"), 32)], 16))], 32)
    generations = mapping([(uint(100, 8), uint(41, 32)), (uint(200, 32), uint(0, 8))], 0)
    incomplete = array([uint(12, 64), uint(10, 16), binary(bytes.fromhex("fdc0"), 16), uint(0xCAFEBABE, 64), text("future", 0)], 32)
    return header(1) + mapping([(uint(7, 8), incomplete), (uint(5, 16), binary(bytes.fromhex(COOKIE), 32)), (uint(4, 0), vnis),
                                (uint(3, 8), uint(1, 8)), (uint(2, 32), b"\xc2"), (uint(1, 0), uint(90, 64)), (uint(0, 64), text("vtep-a", 32)),
                                (uint(6, 0), generations)], 16)


NONMINIMAL = {
    "peerlist-instance": nonminimal_peerlist_instance,
    "register-incomplete": nonminimal_register_incomplete,
    "register-generations": nonminimal_register_generations,
    "peerlist-generations": nonminimal_peerlist_generations,
    "peerlist-delta": nonminimal_peerlist_delta,
    "register-ipv4": nonminimal_register_ipv4,
    "register-ipv6": nonminimal_register_ipv6,
    "peerlist-mixed": nonminimal_peerlist_mixed,
    "register-cookie": nonminimal_register_cookie,
    "peerlist-cookie": nonminimal_peerlist_cookie,
    "sync-two": nonminimal_sync_two,
}

# Bare values: every format the reader supports, minimal and not, checked against msgpack's own reading.
VALUES = {
    "uint5-as-uint8": uint(5, 8),
    "uint5-as-uint16": uint(5, 16),
    "uint5-as-uint32": uint(5, 32),
    "uint5-as-uint64": uint(5, 64),
    "uint64-max": uint(2**64 - 1, 64),
    "int-minus1-as-int64": sint(-1, 64),
    "int64-min": sint(-2**63, 64),
    "int-minus33": sint(-33, 8),
    "str-empty-as-str32": text("", 32),
    "str-utf8-as-str16": text("n\u00f8de-\u00e9\u4e2d", 16),
    "bin-empty-as-bin32": binary(b"", 32),
    "array-empty-as-array32": array([], 32),
    "map-one-as-map16": mapping([(text("k", 8), b"\xc0")], 16),
    "float32-1.5": b"\xca" + struct.pack(">f", 1.5),
    "float64-minus0.25": b"\xcb" + struct.pack(">d", -0.25),
    "nested": array([b"\xc2", b"\xc3", b"\xc0", mapping([(uint(1, 0), array([binary(b"\x01\x02", 8)], 0))], 0)], 16),
}


def version1_view(msg_type, body):
    """What a version-1 reader keeps: known keys only, sync entries cut to their 5 fields."""
    known = {1: 8, 2: 9, 3: 2}[msg_type]
    view = {k: v for k, v in body.items() if isinstance(k, int) and 0 <= k < known}
    if msg_type == 3:
        view[0] = [entry[:5] for entry in view[0]]
    if msg_type == 2 and 7 in view:
        view[7] = [entry[:5] for entry in view[7]]
    if msg_type == 1 and 7 in view:
        view[7] = view[7][:4]
    # dict == ignores order, so the cookie written last compares like any other key.
    return view


def generate(outdir):
    os.makedirs(outdir, exist_ok=True)

    def write(name, data, comment):
        with open(os.path.join(outdir, name + ".hex"), "w") as f:
            f.write("# %s\n# produced by msgpack_interop.py generate (python3-msgpack)\n" % comment)
            for i in range(0, len(data), 32):
                f.write(data[i:i + 32].hex() + "\n")

    for name, (msg_type, body) in SAMPLES.items():
        packed = msgpack.packb(body, use_bin_type=True)
        write("control-" + name + ".min", header(msg_type) + packed, "msgpack.packb of the %s sample (smallest encodings)" % name)
        wide = NONMINIMAL[name]()
        # The independent implementation must read the non-minimal body as the same structure.
        assert version1_view(msg_type, unpack_exact(wide[HEADER:])) == body, name
        write("control-" + name + ".nonminimal", wide, "hand-widened encodings of the %s sample" % name)
    for name, data in VALUES.items():
        unpack_exact(data)  # raises if msgpack does not accept it
        write("value-" + name, data, "bare MessagePack value")


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    command, args = argv[1], argv[2:]
    if command == "generate":
        generate(args[0])
        return 0
    status = 0
    for path in args:
        name = os.path.basename(path)
        try:
            data = read_hex(path)
            if command == "decode-control":
                out = decode_control(data, framed=name.endswith(".frame.hex"))
            elif command == "decode-value":
                out = canonical(unpack_exact(data))
            else:
                sys.stderr.write("unknown command %s\n" % command)
                return 2
        except Exception as e:  # report per file, keep going
            out = "ERROR %s: %s" % (type(e).__name__, e)
            status = 1
        print("%s\t%s" % (name, out))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
