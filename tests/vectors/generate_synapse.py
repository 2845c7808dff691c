#!/usr/bin/env python3
"""Independent reference for synapse.json: the Bittensor SDK 10.2.0 wire rules as the protocol report
(bittensor-protocol.md section 2.1) states them, written with Python's own str(), repr(), json, base64 and
hashlib.sha3_256 (not the TypeScript code).

sr25519 signatures are randomised and Python's stdlib has no sr25519, so the one signature below was made
once with @polkadot/keyring 14.0.3 (the Alice dev seed) and is fixed data: the TypeScript test checks
that it verifies over the message built here, not byte equality.
Run: python3 tests/vectors/generate_synapse.py  (rewrites synapse.json; commit it only with a protocol change).
"""
import base64
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

ALICE_SEED = "0xe5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a"
ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
BOB_SEED = "0x398f0c28f98885e046333d4a41c19cee4c37368a9832c6502f6cfd182e2aef89"
BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
NONCE = 1732550000123456789
UUID = "5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a"
VERSION_AS_INT = 10 * 1000**2 + 2 * 1000 + 0
# Alice's signature over the message of the "ZipcodeAssignment request" vector.
STORED_SIGNATURE = (
    "0x54a73f07fe276eb1bec2ff7cc0280389449b18efcf639beb76fa593e8ea9e50e"
    "739c0c9b74413242c95649d7746124d2d5c4016e4b4ccc8f4823f5d0c4d5db88"
)


def sha3(text: str) -> str:
    return hashlib.sha3_256(text.encode("utf-8")).hexdigest()


def body_hash(fields: dict, required_hash_fields: list) -> str:
    return sha3("".join(sha3(str(fields.get(f))) for f in required_hash_fields))


def input_obj(value) -> str:
    return base64.b64encode(json.dumps(value.__class__()).encode()).decode("utf-8")


def body_hash_vectors():
    cases = [
        ("no hash fields (the SDK default)", {}, []),
        ("one text field", {"text": "hello"}, ["text"]),
        ("ZipcodeAssignment, no epoch asked (None)", {"epochId": None}, ["epochId"]),
        ("ZipcodeAssignment, one epoch", {"epochId": "2025-10-01T16-00-00"}, ["epochId"]),
        (
            "str, int, float, bool and None fields in hash order",
            {"text": "h\u00e9llo \u2713", "n": 5, "f": 1e-05, "b": True, "z": None},
            ["text", "n", "f", "b", "z"],
        ),
    ]
    return [{"name": n, "input": {"fields": f, "requiredHashFields": h}, "expected": body_hash(f, h)}
            for n, f, h in cases]


def float_vectors():
    values = [12.0, 0.5, 1e-05, 0.0001, 1e16, 1234567890123456.0, 0.1 + 0.2, 1.5e300, -2.5e-07, 123.456,
              3.0e-3, 5e-324, 1.7976931348623157e308, 100.0, 0.012345]
    return [{"name": repr(v), "input": v, "expected": str(v)} for v in values]


def input_obj_vectors():
    values = [("str", "abc"), ("int", 7), ("float", 2.5), ("bool", True), ("list", [1, 2]),
              ("dict", {"a": 1})]
    return [{"name": n, "input": v, "expected": input_obj(v)} for n, v in values]


def request_vectors():
    out = []
    for name, epoch, valid in [
        ("ZipcodeAssignment request, stored signature verifies", "2025-10-01T16-00-00", True),
        ("same signature, another epoch in the body: refused", "2025-10-01T20-00-00", False),
    ]:
        fields = {"epochId": epoch}
        h = body_hash(fields, ["epochId"])
        message = f"{NONCE}.{ALICE}.{BOB}.{UUID}.{h}"
        # Synapse.to_headers order: name, timeout, axon TerminalInfo, dendrite TerminalInfo, input_obj
        # (none: every ZipcodeAssignment field has a default), header_size, total_size, computed_body_hash.
        headers = {
            "name": "ZipcodeAssignment",
            "timeout": str(12.0),
            "bt_header_axon_ip": "127.0.0.1",
            "bt_header_axon_port": str(8091),
            "bt_header_axon_hotkey": BOB,
            "bt_header_dendrite_ip": "0.0.0.0",
            "bt_header_dendrite_version": str(VERSION_AS_INT),
            "bt_header_dendrite_nonce": str(NONCE),
            "bt_header_dendrite_uuid": UUID,
            "bt_header_dendrite_hotkey": ALICE,
            "bt_header_dendrite_signature": STORED_SIGNATURE,
            "header_size": "0",  # a Python memory size in the SDK, never checked; zipmine sends 0
            "total_size": "0",
            "computed_body_hash": h,
        }
        out.append({
            "name": name,
            "input": {
                "synapse": "ZipcodeAssignment",
                "fields": fields,
                "axon": {"ip": "127.0.0.1", "port": 8091, "hotkey": BOB, "secretSeed": BOB_SEED},
                "dendrite": {"hotkey": ALICE, "secretSeed": ALICE_SEED, "nonce": str(NONCE), "uuid": UUID,
                             "ip": "0.0.0.0", "version": VERSION_AS_INT},
                "timeoutSeconds": 12.0,
                "signature": STORED_SIGNATURE,
            },
            "expected": {"bodyHash": h, "message": message, "headers": headers, "signatureValid": valid},
        })
    return out


def main():
    vectors = {
        "bodyHash": body_hash_vectors(),
        "pythonFloat": float_vectors(),
        "inputObj": input_obj_vectors(),
        "request": request_vectors(),
    }
    with open(os.path.join(HERE, "synapse.json"), "w", encoding="utf-8") as f:
        json.dump(vectors, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
