#!/usr/bin/env python3
"""Independent reference implementation that writes prng.json and epoch.json.

Written against the specifications in shared/prng.ts and shared/epoch.ts only (not the TypeScript code),
using Python's hashlib and datetime, so the TypeScript tests compare two implementations.
Run: python3 tests/vectors/generate.py  (rewrites the two files; commit them only with a protocol change).
"""
import datetime as dt
import hashlib
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


class Prng:
    def __init__(self, seed: bytes):
        assert seed
        self.seed, self.counter, self.buf = seed, 0, b""

    def _byte(self) -> int:
        if not self.buf:
            self.buf = hashlib.sha256(self.seed + struct.pack(">Q", self.counter)).digest()
            self.counter += 1
        b, self.buf = self.buf[0], self.buf[1:]
        return b

    def u32(self) -> int:
        return int.from_bytes(bytes(self._byte() for _ in range(4)), "big")

    def below(self, n: int) -> int:
        limit = (2**32 // n) * n
        while True:
            u = self.u32()
            if u < limit:
                return u % n

    def float(self) -> float:
        a, b = self.u32() >> 5, self.u32() >> 6
        return (a * 2**26 + b) / 2**53

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
        return items


def prng_vectors():
    out = []
    for seed in ["zipmine", "2025-10-01T16-00-00|5GrwvaEF5zXb26Fz9rcQpDWS55tcc7yrY8GLBTPmTBfXb", "\u00e9t\u00e9"]:
        p = Prng(seed.encode())
        u32 = [p.u32() for _ in range(12)]
        p = Prng(seed.encode())
        below = [p.below(n) for n in [1, 2, 3, 7, 10, 1000, 4294967295, 4294967296, 2**31 + 1]]
        p = Prng(seed.encode())
        floats = [p.float() for _ in range(4)]
        p = Prng(seed.encode())
        shuffled = p.shuffle(list(range(20)))
        out.append({"name": f"seed {seed!r}", "input": {"seed": seed},
                    "expected": {"u32": u32, "below": below, "floats": floats, "shuffle20": shuffled}})
    return out


def epoch_id(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H-%M-%S")


def epoch_vectors():
    out = []
    cases = [
        ("2025-10-01T16:00:00", 14400, 900), ("2025-10-01T19:59:59", 14400, 900),
        ("2025-12-31T23:59:59", 14400, 900), ("2026-01-01T00:00:00", 14400, 900),
        ("2024-02-29T03:59:59", 14400, 900), ("2024-03-10T07:30:00", 14400, 0),
        ("2026-11-25T19:00:55", 14400, 900), ("2026-11-25T19:00:55", 120, 20),
        ("2026-11-25T23:59:30", 120, 20), ("2026-11-25T19:00:55", 3600, 300),
    ]
    for at, seconds, lead in cases:
        t = int(dt.datetime.fromisoformat(at).replace(tzinfo=dt.timezone.utc).timestamp())
        index = t // seconds
        start = index * seconds
        end = start + seconds
        out.append({
            "name": f"{at}Z with {seconds}s epochs",
            "input": {"at": at + ".000Z", "epochSeconds": seconds, "uploadLeadSeconds": lead},
            "expected": {
                "id": epoch_id(start), "index": index, "start": start * 1000, "end": end * 1000,
                "submissionDeadline": (end - lead) * 1000, "validationStart": end * 1000,
                "validationEnd": (end + seconds) * 1000, "weightsFrom": (start + 2 * seconds) * 1000,
                "weightsEpochId": epoch_id(start - 2 * seconds),
            },
        })
    return out


def write(name, vectors):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(vectors, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    write("prng.json", prng_vectors())
    write("epoch.json", epoch_vectors())
