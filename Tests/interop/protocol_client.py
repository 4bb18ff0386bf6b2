#!/usr/bin/env python3
"""An independent Python implementation of the grpo-lambda wire protocol (docs/PROTOCOL.md), used to prove the
document is precise enough for another language. Needs pynng (`pip install pynng`; scripts/setup.sh installs it
into .venv/).

It encodes a rollout group and pushes it to a Swift PULL socket, sends a verify request to a Swift REP socket
and decodes the reply, then sends a frame of a future protocol version and expects a typed error reply.
Run by Tests/ProtocolTests/InteropTests.swift:
    protocol_client.py --push URL --request URL [--secret TEXT]
As a worker of a real coordinator (Tests/FleetTests/CoordinatorInteropTests.swift) it registers, leases prompts,
downloads the newest weights in chunks, rebuilds them (zstd, byte planes) and checks their SHA-256, and
deregisters; it needs the `zstandard` package too:
    protocol_client.py --coordinator URL --worker-id ID [--secret TEXT]
Exit status 0 and one JSON line on stdout on success; a message on stderr and status 1 otherwise.
"""
import argparse
import hashlib
import hmac
import json
import struct
import sys

import pynng

MAGIC = b"GRPL"
VERSION = 1
HEADER = struct.Struct("<4sHHIIII")  # magic, version, type, flags, wire length, decoded length, crc32c
FLAG_COMPRESSED = 1
FLAG_AUTHENTICATED = 2
FLAG_PAYLOAD_UNCHECKSUMMED = 4
TYPE_WORKER_REGISTER = 1
TYPE_WORKER_REGISTERED = 2
TYPE_WORKER_DEREGISTER = 5
TYPE_LEASE_REQUEST = 10
TYPE_LEASE_GRANT = 11
TYPE_ROLLOUT_GROUP = 20
TYPE_VERIFY_REQUEST = 30
TYPE_VERIFY_RESPONSE = 31
TYPE_WEIGHT_ANNOUNCE = 40
TYPE_WEIGHT_CHUNK_REQUEST = 41
TYPE_WEIGHT_CHUNK = 42
TYPE_WEIGHT_INFO_REQUEST = 44
TYPE_ACK = 60
TYPE_ERROR = 61


def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


CRC_TABLE = _crc32c_table()


def crc32c(data, crc=0):
    c = crc ^ 0xFFFFFFFF
    for b in data:
        c = CRC_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


class Writer:
    def __init__(self):
        self.parts = []

    def u8(self, v): self.parts.append(struct.pack("<B", v))
    def u16(self, v): self.parts.append(struct.pack("<H", v))
    def u32(self, v): self.parts.append(struct.pack("<I", v))
    def u64(self, v): self.parts.append(struct.pack("<Q", v))
    def f32(self, v): self.parts.append(struct.pack("<f", v))
    def boolean(self, v): self.u8(1 if v else 0)

    def string(self, s):
        b = s.encode("utf-8")
        self.u32(len(b))
        self.parts.append(b)

    def array(self, fmt, values):
        self.u32(len(values))
        self.parts.append(struct.pack("<%d%s" % (len(values), fmt), *values))

    def bytes(self):
        return b"".join(self.parts)


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if n > len(self.data) - self.pos:
            raise ValueError("payload too short")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def u8(self): return self.take(1)[0]
    def u16(self): return struct.unpack("<H", self.take(2))[0]
    def u32(self): return struct.unpack("<I", self.take(4))[0]
    def u64(self): return struct.unpack("<Q", self.take(8))[0]
    def f32(self): return struct.unpack("<f", self.take(4))[0]
    def boolean(self): return self.u8() == 1
    def string(self): return self.take(self.u32()).decode("utf-8")


def frame(msg_type, payload, secret=None, version=VERSION):
    flags = FLAG_AUTHENTICATED if secret else 0
    head = struct.pack("<4sHHIII", MAGIC, version, msg_type, flags, len(payload), len(payload))
    crc = crc32c(payload, crc32c(head))
    out = head + struct.pack("<I", crc) + payload
    if secret:
        out += hmac.new(secret, out, hashlib.sha256).digest()
    return out


def protects_payload(url):
    """Whether a link to `url` protects the bytes it carries, so frames over it may leave the payload out of the
    CRC (docs/PROTOCOL.md §2): ipc://, inproc://, abstract:// and TLS."""
    scheme = url.split("://")[0].lower()
    return scheme in ("ipc", "inproc", "abstract") or scheme.startswith("tls+")


def unframe(data, secret=None, link_protects_payload=False):
    magic, version, msg_type, flags, wire_len, decoded_len, crc = HEADER.unpack_from(data)
    if magic != MAGIC or version != VERSION:
        raise ValueError("not a version-1 grpo-lambda frame")
    if flags & ~(FLAG_COMPRESSED | FLAG_AUTHENTICATED | FLAG_PAYLOAD_UNCHECKSUMMED):
        raise ValueError("unknown flags")
    if flags & FLAG_COMPRESSED:
        raise ValueError("this client does not decompress")
    payload = data[24:24 + wire_len]
    if flags & FLAG_PAYLOAD_UNCHECKSUMMED:
        if not link_protects_payload:
            raise ValueError("payload left unchecksummed on a link that does not protect it")
        covered = crc32c(data[:20])
    else:
        covered = crc32c(payload, crc32c(data[:20]))
    if covered != crc:
        raise ValueError("bad CRC32C")
    if secret:
        if not flags & FLAG_AUTHENTICATED:
            raise ValueError("reply is not authenticated")
        mac = data[24 + wire_len:]
        if not hmac.compare_digest(mac, hmac.new(secret, data[:24 + wire_len], hashlib.sha256).digest()):
            raise ValueError("bad HMAC")
    return msg_type, payload


def rollout_group_payload():
    """The same group InteropTests.swift expects (InteropTests.expectedGroup)."""
    w = Writer()
    w.u64(4242)                      # lease_id
    w.u64(17)                        # prompt_index
    w.string("python-worker")        # worker_id
    w.u64(3)                         # policy_version
    w.string("What is 5+1−2?")       # prompt (with a unicode minus)
    w.array("i", [5, 10, 1, 11, 2])  # prompt_tokens
    w.string("4")                    # gold_answer
    w.f32(0.75)                      # temperature
    w.f32(0.5)                       # top_p
    w.u32(20)                        # top_k
    w.u32(64)                        # max_new_tokens
    w.f32(1.5)                       # generation_seconds
    completions = [
        ([7, 8, 9], [-0.25, -0.5, -1.0], [-0.125, -0.75, -2.0], 0, 1.0, True, "correct", "6-2=4 \\boxed{4}"),
        ([], [], [], 1, 0.0, False, "no_answer_found", ""),
    ]
    w.u32(len(completions))
    for tokens, sampler, policy, finish, reward, correct, verdict, text in completions:
        w.array("i", tokens)
        w.array("f", sampler)
        w.array("f", policy)
        w.u8(finish)
        w.f32(reward)
        w.boolean(correct)
        w.string(verdict)
        w.string(text)
    return w.bytes()


def verify_request_payload():
    w = Writer()
    w.u64(77)
    w.string("\\frac{1}{2}")
    completions = ["the answer is \\boxed{\\frac{1}{2}}", "I think 0.4", ""]
    w.u32(len(completions))
    for c in completions:
        w.string(c)
    return w.bytes()


def decode_verify_response(payload):
    r = Reader(payload)
    request_id = r.u64()
    grades = []
    for _ in range(r.u32()):
        grades.append({"reward": r.f32(), "correct": r.boolean(), "reason": r.string(), "extracted": r.string()})
    elapsed = r.u64()
    if r.pos != len(payload):
        raise ValueError("trailing bytes in verify_response")
    return {"request_id": request_id, "grades": grades, "elapsed_us": elapsed}


def decode_error(payload):
    r = Reader(payload)
    return {"code": r.string(), "in_reply_to": r.u16(), "message": r.string()}


def request(req, msg_type, payload, expect, secret, protected):
    """One REQ/REP exchange; the reply's payload (an error reply raises with its code)."""
    req.send(frame(msg_type, payload, secret))
    reply_type, reply = unframe(req.recv(), secret, protected)
    if reply_type == TYPE_ERROR:
        raise ValueError("error reply: %s" % decode_error(reply))
    if reply_type != expect:
        raise ValueError("expected message type %d, got %d" % (expect, reply_type))
    return reply


def read_payload_info(r):
    return {"encoding": r.u8(), "compression": r.u8(), "base_version": r.u64(), "decoded_bytes": r.u64(),
            "wire_bytes": r.u64(), "chunk_count": r.u32(), "sha256": r.take(32)}


def as_worker(coordinator, worker_id, secret):
    """Register, lease two prompts, fetch and check the newest weights, deregister (docs/PROTOCOL.md §4-§5)."""
    import zstandard
    out = {}
    protected = protects_payload(coordinator)
    with pynng.Req0(dial=coordinator, send_timeout=10000, recv_timeout=10000) as req:
        w = Writer(); w.string(worker_id); w.string("python-host"); w.u32(4242); w.u32(2)
        r = Reader(request(req, TYPE_WORKER_REGISTER, w.bytes(), TYPE_WORKER_REGISTERED, secret, protected))
        out["registered"] = {"worker_id": r.string(), "heartbeat_ms": r.u32(), "failure_ms": r.u32(), "latest": r.u64()}

        w = Writer(); w.string(worker_id); w.u32(2)
        r = Reader(request(req, TYPE_LEASE_REQUEST, w.bytes(), TYPE_LEASE_GRANT, secret, protected))
        leases = []
        for _ in range(r.u32()):
            leases.append({"lease_id": r.u64(), "prompt_index": r.u64(), "prompt": r.string(), "gold": r.string(),
                           "group_size": r.u32(), "expires_ms": r.u32()})
        out["leases"] = leases
        out["minimum_weight_version"] = r.u64()

        w = Writer(); w.string(worker_id); w.boolean(False); w.u64(0)
        r = Reader(request(req, TYPE_WEIGHT_INFO_REQUEST, w.bytes(), TYPE_WEIGHT_ANNOUNCE, secret, protected))
        version, step, count, fingerprint, chunk_size = r.u64(), r.u64(), r.u64(), r.u64(), r.u32()
        payloads = [read_payload_info(r) for _ in range(r.u32())]
        info = payloads[0]
        body = b""
        for index in range(info["chunk_count"]):
            w = Writer(); w.u64(version); w.u8(info["encoding"]); w.u64(info["base_version"]); w.u32(index)
            c = Reader(request(req, TYPE_WEIGHT_CHUNK_REQUEST, w.bytes(), TYPE_WEIGHT_CHUNK, secret, protected))
            c.u64(); c.u8(); c.u64(); c.u32(); c.u32()
            body += c.take(c.u32())
        planes = zstandard.ZstdDecompressor().decompress(body, max_output_size=info["decoded_bytes"])
        size = 2 if info["encoding"] in (1, 2) else 4
        n = len(planes) // size
        weights = bytes(planes[b * n + i] for i in range(n) for b in range(size))
        if size == 2:
            floats = [struct.unpack("<f", b"\x00\x00" + weights[2 * i:2 * i + 2])[0] for i in range(min(n, 8))]
        else:
            floats = list(struct.unpack("<%df" % min(n, 8), weights[:4 * min(n, 8)]))
        out["weights"] = {"version": version, "parameters": count, "encoding": info["encoding"],
                          "sha256_ok": hashlib.sha256(weights).digest() == info["sha256"], "first": floats}

        w = Writer(); w.string(worker_id); w.string("done")
        r = Reader(request(req, TYPE_WORKER_DEREGISTER, w.bytes(), TYPE_ACK, secret, protected))
        out["leases_released"] = r.u64()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--push")
    ap.add_argument("--request")
    ap.add_argument("--coordinator")
    ap.add_argument("--worker-id", default="python-worker")
    ap.add_argument("--secret")
    a = ap.parse_args()
    secret = a.secret.encode() if a.secret else None
    if a.coordinator:
        print(json.dumps(as_worker(a.coordinator, a.worker_id, secret)))
        return

    with pynng.Push0(dial=a.push, send_timeout=10000) as push:
        push.send(frame(TYPE_ROLLOUT_GROUP, rollout_group_payload(), secret))

    with pynng.Req0(dial=a.request, send_timeout=10000, recv_timeout=10000) as req:
        req.send(frame(TYPE_VERIFY_REQUEST, verify_request_payload(), secret))
        reply = req.recv()
        reply_flags = HEADER.unpack_from(reply)[3]
        msg_type, payload = unframe(reply, secret, protects_payload(a.request))
        if msg_type != TYPE_VERIFY_RESPONSE:
            raise SystemExit("expected verify_response, got type %d" % msg_type)
        response = decode_verify_response(payload)

        req.send(frame(TYPE_VERIFY_REQUEST, verify_request_payload(), secret, version=2))
        msg_type, payload = unframe(req.recv(), secret, protects_payload(a.request))
        if msg_type != TYPE_ERROR:
            raise SystemExit("expected an error reply to a version-2 frame, got type %d" % msg_type)
        error = decode_error(payload)

    print(json.dumps({"verify_response": response, "verify_reply_flags": reply_flags, "future_version_error": error}))


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # report, don't trace: the Swift test shows stderr
        print("interop client failed: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        sys.exit(1)
