"""Reveal-round cases for tests/vectors/tlock.json, computed by bittensor-drand's own reference formula.

Usage: python3 tests/vectors/generate_tlock_reveal.py <bittensor-drand>/tests/test_commit_reveal.py > cases.json
       deno run -A tests/vectors/generate_tlock.ts cases.json

The formula (`compute_expected_reveal_round`, which mirrors src/drand.rs `generate_commit`) is executed from
the given file, not copied here; the inputs are that file's test cases, the clock is fixed so the output is
reproducible. Used with opentensor/bittensor-drand@3ff0eac5d39106676a3f1846efd3bcaa7d7d7b55.
"""
import json
import sys
import types

NOW = 1764806400  # 2025-12-04T00:00:00Z
CASES = [("test_get_encrypted_commits", 100, 1000, 1, 2, 12), ("test_generate_commit_success", 50, 500, 100, 2, 12)]
CASES += [(f"test_generate_commit_various_tempos tempo={t}", t, 100000, 1, 1, 12)
          for t in [10, 50, 100, 250, 360, 500, 750, 1000]]

source = open(sys.argv[1]).read().replace("from bittensor_drand import get_encrypted_commit", "")
ref = types.ModuleType("reference")
exec(compile(source, sys.argv[1], "exec"), ref.__dict__)
out = []
for name, tempo, block, netuid, period, block_time in CASES:
    reveal_round, _, until = ref.compute_expected_reveal_round(NOW, tempo, block, netuid, period, block_time)
    out.append({
        "name": name,
        "input": {"nowSeconds": NOW, "tempo": tempo, "currentBlock": block, "netuid": netuid,
                  "revealPeriodEpochs": period, "blockTimeSeconds": block_time},
        "expected": {"revealRound": reveal_round, "secondsUntilIngest": until},
    })
json.dump(out, sys.stdout, indent=1)
