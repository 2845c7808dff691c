#!/usr/bin/env python3
"""Independent reference implementation that writes sampling.json, scoring.json and weights_u16.json.

Written against the specifications in shared/sampling.ts, shared/scoring.ts and shared/weights_u16.ts only
(not the TypeScript code), with Python integers (// floors), hashlib, and the PRNG of generate.py.
The u16 conversion is transcribed from the Bittensor SDK's `convert_weights_and_uids_for_emit`
(float32 weights, `w / max * 65535`, Python `round`); every vector asserts that the SDK expression and the
exact integer rule agree, and `check_half_cases` proves it for every exact half with max <= SCALE.
Run: python3 tests/vectors/generate_scoring.py  (about 10 s; rewrites the three files).
"""
import hashlib
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # importing generate.py must not leave __pycache__ behind
sys.path.insert(0, HERE)
from generate import Prng  # noqa: E402  (zipmine-prng-v1, itself checked by prng.json)

SCALE = 1_000_000
U16_MAX = 65535


# ---------------------------------------------------------------- sampling (zipmine-sampling-v2)

def prng_sample(prng, items, k):
    pool = list(items)
    take = min(k, len(pool))
    for i in range(take):
        j = i + prng.below(len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:take]


def zpid_key(z):
    return (int(z), z)


def draw_spot_checks(epoch_seed, hotkey, manifest, zpids, reporters, count):
    seed = hashlib.sha256(f"{epoch_seed}|{hotkey}|{manifest}".encode()).digest()
    everything = sorted(set(zpids), key=zpid_key)
    p = Prng(seed)
    take = min(count, len(everything))
    out = []
    for r in sorted({reporters.get(z, 1) for z in everything}):
        if len(out) >= take:
            break
        tier = [z for z in everything if reporters.get(z, 1) == r]
        out += prng_sample(p, tier, min(len(tier), take - len(out)))
    return out


def sampling_vectors():
    seed_a = hashlib.sha256(b"sample:2025-10-01T16-00-00").hexdigest()
    seed_b = hashlib.sha256(b"sample:2025-10-01T20-00-00").hexdigest()
    manifest = hashlib.sha256(b"manifest-1").hexdigest()
    hk = "5GrwvaEF5zXb26Fz9rcQpDWS55tcc7yrY8GLBTPmTBfXb"
    many = [str(900000000 + 7 * i) for i in range(60)]
    shared = {z: 5 for z in many}

    def tiers(*groups):
        out = dict(shared)
        for zs, r in groups:
            out.update({z: r for z in zs})
        return out
    cases = [
        ("60 listings, 4 only this miner's, count 10", seed_a, hk, manifest, many, tiers((many[10:14], 1)), 10),
        ("60 listings, 20 only this miner's, count 10", seed_a, hk, manifest, many, tiers((many[:20], 1)), 10),
        ("60 listings, all reported by 5, count 10", seed_a, hk, manifest, many, shared, 10),
        ("three tiers: 3 by 1, 4 by 2, rest by 5", seed_a, hk, manifest, many,
         tiers((many[40:43], 1), (many[5:9], 2)), 10),
        ("no reporter entries: every listing counts 1", seed_a, hk, manifest, many, {}, 10),
        ("another epoch seed", seed_b, hk, manifest, many, tiers((many[:20], 1)), 10),
        ("count 25 extends the count-10 stream", seed_a, hk, manifest, many,
         tiers((many[40:43], 1), (many[5:9], 2)), 25),
        ("fewer listings than the count", seed_a, hk, manifest, many[:6], tiers((many[:2], 1)), 10),
        ("count 0", seed_a, hk, manifest, many, tiers((many[:5], 1)), 0),
        ("numeric order with leading zeros", seed_a, hk, manifest,
         ["10", "9", "0010", "100", "010", "2", "33", "1000000000"], {"9": 1, "0010": 1, "2": 3}, 5),
    ]
    out = []
    for name, es, h, m, zpids, reporters, count in cases:
        reporters = {z: r for z, r in reporters.items() if z in set(zpids)}
        out.append({"name": name, "input": {"epochSeed": es, "hotkey": h, "manifestSha256": m,
                                            "zpids": zpids, "reporters": reporters, "count": count},
                    "expected": draw_spot_checks(es, h, m, zpids, reporters, count)})
    return out


# ---------------------------------------------------------------- scoring (zipmine-scoring-v2)

def ratio(n, d):
    return 0 if d == 0 else min(SCALE, n * SCALE // d)


def split_proportionally(total, weights):
    s = sum(weights)
    if s == 0:
        return [0] * len(weights)
    parts = [total * w // s for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % s), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def score_epoch(miners, epoch, params):
    start, deadline = epoch["startMs"], epoch["deadlineMs"]
    expected, tol = epoch["expectedPerZip"], epoch["tolerancePercent"]
    rows = []
    for m in miners:
        checks = m["spotChecks"]
        reason = m["zeroReason"]
        if reason is None and checks["invalid"] > 0:
            n = checks["invalid"]
            reason = f"fabricated listing confirmed: {n} spot check{'' if n == 1 else 's'} invalid"
        if reason is not None:
            rows.append({"m": m, "c": {"speed": 0, "quality": 0, "volume": 0}, "score": 0, "reason": reason,
                         "q": False})
            continue
        def earliness(t):
            return 0 if t is None else (deadline - min(max(t, start), deadline)) * SCALE // (deadline - start)
        deliveries = m.get("deliveries")
        if deliveries is None:
            deliveries = [] if m["receivedAtMs"] is None else [
                {"receivedAtMs": m["receivedAtMs"], "uniqueValidPerZip": m["uniqueValidPerZip"]}]
        left = {z: min(e, m["uniqueValidPerZip"].get(z, 0)) for z, e in expected.items()}
        credit = 0
        for d in sorted(deliveries, key=lambda d: -earliness(d["receivedAtMs"])):
            for z, n in d["uniqueValidPerZip"].items():
                c = min(n, left.get(z, 0))
                if z in left:
                    left[z] -= c
                credit += c * earliness(d["receivedAtMs"])
        total_expected = sum(expected.values())
        speed = 0 if total_expected == 0 else credit // total_expected
        conclusive = checks["valid"] + checks["invalid"]
        pass_rate = SCALE if conclusive == 0 else checks["valid"] * SCALE // conclusive
        quality = pass_rate * m["completeness"] // SCALE
        counted = sum(min(m["uniqueValidPerZip"].get(z, 0), e * (100 + tol) // 100) for z, e in expected.items())
        volume = ratio(counted, sum(expected.values()))
        score = (params["speedPercent"] * speed + params["qualityPercent"] * quality
                 + params["volumePercent"] * volume) // 100
        rows.append({"m": m, "c": {"speed": speed, "quality": quality, "volume": volume}, "score": score,
                     "q": conclusive >= params["minConclusiveChecks"],
                     "reason": None if score > 0 else "nothing earned: speed, quality and volume are all 0"})

    burn = SCALE * params["burnPercent"] // 100
    base = SCALE - burn
    inf = float("inf")
    ranked = sorted((r for r in rows if r["score"] > 0),
                    key=lambda r: (not r["q"], -r["score"], inf if r["m"]["receivedAtMs"] is None else r["m"]["receivedAtMs"],
                                   r["m"]["hotkey"]))
    top = params["topShares"]
    def top_share(i):
        return i < len(top) and ranked[i]["q"]
    members = [r for i, r in enumerate(ranked) if not top_share(i)]
    pool = split_proportionally(base * params["participationPoolPercent"] // 100, [r["score"] for r in members])
    for i, r in enumerate(ranked):
        r["rank"] = i + 1
        r["weight"] = base * top[i] // 100 if top_share(i) else pool[members.index(r)]
    for r in rows:
        r.setdefault("rank", None)
        r.setdefault("weight", 0)
    rows.sort(key=lambda r: (0, r["rank"], "") if r["rank"] is not None else (1, 0, r["m"]["hotkey"]))
    verdicts = [{"hotkey": r["m"]["hotkey"], "uid": r["m"]["uid"], "components": r["c"], "score": r["score"],
                 "rank": r["rank"], "weight": r["weight"], "reason": r["reason"]} for r in rows]
    owner = None if params["ownerUid"] is None else {"uid": params["ownerUid"], "weight": burn}
    result = {"miners": verdicts, "weights": {v["hotkey"]: v["weight"] for v in verdicts}, "owner": owner}
    by_uid = {}
    for v in verdicts:
        if v["uid"] is not None:
            by_uid[v["uid"]] = by_uid.get(v["uid"], 0) + v["weight"]
    if owner:
        by_uid[owner["uid"]] = by_uid.get(owner["uid"], 0) + owner["weight"]
    return result, sorted(by_uid.items())


START = 1759334400000  # 2025-10-01T16:00:00Z
DEADLINE = START + 14400000 - 900000  # 4 h epoch, uploads due 15 min before its end
MIN = 60000


def miner(hotkey, uid, received_min, valid=10, invalid=0, unknown=0, completeness=SCALE, volume=None,
          zero=None):
    return {"hotkey": hotkey, "uid": uid, "zeroReason": zero,
            "receivedAtMs": None if received_min is None else START + received_min * MIN,
            "spotChecks": {"valid": valid, "invalid": invalid, "unknown": unknown},
            "completeness": completeness, "uniqueValidPerZip": volume or {}}


def params(burn=0, owner=0, pool=5, top=(50, 30, 15), min_conclusive=3):
    return {"speedPercent": 40, "qualityPercent": 40, "volumePercent": 20, "topShares": list(top),
            "participationPoolPercent": pool, "burnPercent": burn, "ownerUid": owner,
            "minConclusiveChecks": min_conclusive}


EPOCH = {"startMs": START, "deadlineMs": DEADLINE, "tolerancePercent": 10,
         "expectedPerZip": {"77001": 300, "77002": 500, "77003": 200}}
FULL = {"77001": 300, "77002": 500, "77003": 200}


def scoring_scenarios():
    six = [
        miner("5alice", 11, 45, completeness=980000, volume=FULL),
        miner("5bob", 12, 30, completeness=900000, volume={"77001": 280, "77002": 450, "77003": 150}),
        miner("5carol", 13, 90, valid=8, unknown=2, completeness=950000,
              volume={"77001": 400, "77002": 560, "77003": 90}),
        miner("5dave", 14, 120, completeness=700000, volume={"77001": 100, "77002": 200}),
        miner("5erin", 15, 200, valid=0, unknown=10, completeness=850000, volume={"77002": 300, "99999": 900}),
        miner("5frank", 16, 20, completeness=990000, volume=FULL, zero="nonce missing or wrong in 12 rows"),
    ]
    ties = [
        miner("5zed", 21, 60, volume=FULL),
        miner("5amy", 22, 60, volume=FULL),
        miner("5kim", 23, 30, volume=FULL),
        miner("5yan", 27, 0, completeness=700000, volume=FULL),
        miner("5bea", 28, 45, completeness=900000, volume=FULL),
        miner("5lou", 24, 90, completeness=500000, volume=FULL),
        miner("5max", 25, 90, completeness=500000, volume=FULL),
        miner("5ned", 26, None, completeness=500000, volume=FULL),
    ]
    two = [
        miner("5alice", 1, 100, completeness=800000, volume={"77001": 300, "77002": 100}),
        miner("5bob", 2, 50, completeness=990000, volume=FULL),
        miner("5carol", 3, 10, invalid=1, volume=FULL),
        miner("5dave", 4, None, valid=0, completeness=0, zero="no submission"),
        miner("5erin", 5, 5, volume=FULL, zero="uploaded after the deadline"),
    ]
    cheaters = [
        miner("5carol", 3, 10, valid=9, invalid=1, volume=FULL),
        miner("5dave", 4, None, valid=0, completeness=0, zero="no submission"),
        miner("5erin", 5, 5, volume=FULL, zero="listing zpid 900000123 does not exist"),
        miner("5gina", 6, 15, valid=7, invalid=3, volume=FULL, zero="ZIP 99999 was not assigned"),
    ]
    pool = [miner(f"5m{i:02d}", 30 + i, 10 + 11 * i, valid=10 - i % 3, unknown=i % 3,
                  completeness=1000000 - 37000 * i,
                  volume={"77001": 300 - 13 * i, "77002": 500 - 29 * i, "77003": 200 - 7 * i})
            for i in range(9)]
    # The README's worked example: 10 ZIPs of 100; one ZIP at 2 min, everything at 2 h, everything at 1 h
    # in three parts (the last two ZIPs at 60 min), and a complete miner with too few conclusive checks.
    ten = {f"770{i:02d}": 100 for i in range(10)}
    parts_epoch = {"startMs": START, "deadlineMs": DEADLINE, "tolerancePercent": 10, "expectedPerZip": ten}
    first_zip = {"77000": 100}
    parts = [
        miner("5fast", 41, 2, completeness=680000, volume=first_zip),
        miner("5slow", 42, 120, completeness=680000, volume=ten),
        {**miner("5steady", 43, 20, completeness=680000, volume=ten),
         "deliveries": [{"receivedAtMs": START + 20 * MIN, "uniqueValidPerZip": {z: 100 for z in list(ten)[:4]}},
                        {"receivedAtMs": START + 40 * MIN, "uniqueValidPerZip": {z: 100 for z in list(ten)[4:8]}},
                        {"receivedAtMs": START + 60 * MIN, "uniqueValidPerZip": {z: 100 for z in list(ten)[8:]}}]},
        miner("5blocked", 44, 30, valid=2, unknown=8, completeness=680000, volume=ten),
    ]
    return [
        ("speed per listing delivered: parts, one fast ZIP, too few conclusive checks", parts, parts_epoch,
         params()),
        ("normal 6 miners (one cheater, one all-unknown, an unassigned ZIP ignored)", six, EPOCH, params()),
        ("ties: equal composite -> earlier receipt, then hotkey; no receipt last", ties, EPOCH, params()),
        ("only 2 honest: ranks 3 and the pool stay unassigned", two, EPOCH, params()),
        ("all cheaters, no burn: nothing to set", cheaters, EPOCH, params()),
        ("all cheaters, burn 10 %: only the owner", cheaters, EPOCH, params(burn=10, owner=0)),
        ("burn 10 % to owner uid 0", six, EPOCH, params(burn=10, owner=0)),
        ("burn 10 % without an owner uid: the burn share is dropped", six, EPOCH, params(burn=10, owner=None)),
        ("pool split among ranks 4..9 in proportion to composite", pool, EPOCH, params()),
        ("pool split with burn 25 % and shares 60/25", pool, EPOCH, params(burn=25, owner=0, top=(60, 25), pool=5)),
        ("no pool: ranks after the top get 0", pool, EPOCH, params(pool=0)),
    ]


def scoring_vectors():
    out = []
    for name, miners, epoch, prm in scoring_scenarios():
        result, by_uid = score_epoch(miners, epoch, prm)
        uids, weights = sdk_convert([u for u, _ in by_uid], [w for _, w in by_uid])
        assert (uids, weights) == exact_convert([u for u, _ in by_uid], [w for _, w in by_uid]), name
        out.append({"name": name, "input": {"miners": miners, "epoch": epoch, "params": prm},
                    "expected": {**result, "uidWeights": [{"uid": u, "weight": w} for u, w in by_uid],
                                 "u16": {"uids": uids, "weights": weights}}})
    return out


# ---------------------------------------------------------------- u16 weights

def sdk_convert(uids, weights):
    """bittensor/utils/weight_utils.py convert_weights_and_uids_for_emit, on uid-sorted input (the SDK's
    min() would raise on an empty list; zipmine sets nothing then, as for all zeros)."""
    order = sorted(range(len(uids)), key=lambda i: uids[i])
    uids = np.array([uids[i] for i in order], dtype=np.int64).tolist()
    weights = np.array([weights[i] for i in order], dtype=np.float32).tolist()
    if len(weights) == 0 or sum(weights) == 0:
        result = ([], [])
    else:
        max_weight = float(max(weights))
        weights = [float(value) / max_weight for value in weights]
        vals, out_uids = [], []
        for weight_i, uid_i in zip(weights, uids):
            uint16_val = round(float(weight_i) * int(U16_MAX))
            if uint16_val != 0:
                vals.append(uint16_val)
                out_uids.append(uid_i)
        result = (out_uids, vals)
    return result


def half_even(n, d):
    q, r = divmod(n, d)
    if 2 * r != d:
        return q + (1 if 2 * r > d else 0)
    return q + (q % 2)


def exact_convert(uids, weights):
    pairs = sorted(zip(uids, weights))
    m = max((w for _, w in pairs), default=0)
    if m == 0:
        return [], []
    kept = [(u, half_even(w * U16_MAX, m)) for u, w in pairs]
    kept = [(u, v) for u, v in kept if v != 0]
    return [u for u, _ in kept], [v for _, v in kept]


def weights_u16_vectors():
    cases = [
        ("reference example [65535, 32768, 100]", [0, 5, 7], [1000000, 500000, 1526]),
        ("top shares 50/30/15: 19660.5 rounds to even", [0, 5, 7], [500000, 300000, 150000]),
        ("shares with pool 50/30/15/5", [3, 1, 4, 2], [500000, 300000, 150000, 50000]),
        ("half up to even 32768", [1, 2], [1, 2]),
        ("half down to even 10922", [1, 2], [1, 6]),
        ("zeros and values rounding to 0 are dropped", [0, 1, 2, 3], [0, 1000000, 7, 8]),
        ("all zero: nothing to set", [4, 9], [0, 0]),
        ("empty input", [], []),
        ("unsorted uids come out sorted", [9, 3, 1, 255], [100, 300, 200, 1]),
        ("a single weight becomes 65535", [42], [1]),
        ("burn 10 % plus top three", [0, 11, 12, 13], [100000, 450000, 270000, 135000]),
        ("max uid 65535", [65535, 0], [999999, 1000000]),
    ]
    out = []
    for name, uids, weights in cases:
        got = sdk_convert(uids, weights)
        assert got == exact_convert(uids, weights), name
        out.append({"name": name, "input": [{"uid": u, "weight": w} for u, w in zip(uids, weights)],
                    "expected": {"uids": got[0], "weights": got[1]}})
    return out


def check_half_cases():
    """Exact rule == SDK float expression for every exact half w * 65535 / m = k + 1/2 with w <= m <= SCALE.
    (Away from halves the float error, < 2e-11, is far below the gap to a half, >= 1 / (2m).)"""
    total = 0
    for m in range(1, SCALE + 1):
        step = m // math.gcd(m, 2 * U16_MAX)
        for w in range(step, m + 1, step):
            twice = 2 * U16_MAX * w // m
            if twice % 2 == 1:
                total += 1
                sdk = round(float(w) / float(m) * U16_MAX)
                assert sdk == half_even(w * U16_MAX, m), (w, m, sdk)
    assert total == 5771884, total
    return total


def write(name, vectors):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(vectors, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    write("sampling.json", sampling_vectors())
    write("scoring.json", scoring_vectors())
    write("weights_u16.json", weights_u16_vectors())
    print(f"u16 rounding: the exact rule matches the SDK on all {check_half_cases()} exact halves")
