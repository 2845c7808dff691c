/**
 * zipmine's pure protocol core. Each rule has exactly one owner file; find it here.
 *
 * | Rule                                   | Owner file                 | Vectors                          |
 * |----------------------------------------|----------------------------|----------------------------------|
 * | Knob mechanism; network, mechanism knobs | `config.ts`              | `.env.example` (test-checked)    |
 * | Epoch ids, boundaries, deadlines       | `epoch.ts`                 | `tests/vectors/epoch.json`       |
 * | Signed strings of every endpoint       | `commitment.ts`            | `tests/vectors/commitment.json`  |
 * | Epoch nonce, sampling seed, commitment | `epoch_secrets.ts`         | `tests/vectors/epoch_secrets.json` |
 * | sr25519 sign / verify                  | `signature.ts`             | `tests/vectors/signature.json`   |
 * | Object-key layout, traversal rejection | `s3_keys.ts`               | `tests/vectors/s3_keys.json`     |
 * | PRNG for every draw                    | `prng.ts`                  | `tests/vectors/prng.json`        |
 * | ZIP selection (target band, cooldown)  | `selection.ts`             | `selection_test.ts`              |
 * | Spot-check sample of a miner           | `sampling.ts`              | `tests/vectors/sampling.json`    |
 * | Upload integrity (manifest, hashes, time) | `integrity.ts`          | `integrity_test.ts`              |
 * | Scores, ranks, shares, weights         | `scoring.ts`               | `tests/vectors/scoring.json`     |
 * | Weights as chain u16 vectors           | `weights_u16.ts`           | `tests/vectors/weights_u16.json` |
 * | Expected-count recalibration           | `calibration.ts`           | `calibration_test.ts`            |
 * | API route table (paths, auth, schemas) | `contract.ts`              |                                  |
 * | Synapse wire format (axon/dendrite)    | `synapse.ts`               | `tests/vectors/synapse.json`     |
 * | API-signed assignments (relay)         | `assignment_signature.ts`  | `assignment_signature_test.ts`   |
 * | Canonical JSON, SHA-256                | `canonical_json.ts`        | `tests/vectors/canonical_json.json` |
 * | Fixed-point scores and splits          | `fixed_point.ts`           |                                  |
 * | Manifest signing                       | `manifest.ts`              |                                  |
 * | Structured logs, secret redaction      | `log.ts`                   |                                  |
 * | Ports (clock, presigner, ...)          | `ports.ts`                 |                                  |
 * | Listing-site pages: parse, normalise, classify blocks, compare for spot checks | `listing_site/*.ts` | `tests/fixtures/listing_site/` |
 * | Wire shapes                            | `schemas/<resource>.ts`    |                                  |
 *
 * Nothing here reads the clock, the environment, the network, files or randomness, and nothing here imports
 * `adapters/` (shared I/O, e.g. the hotkey wallet reader `adapters/node/wallet.ts`) or a program.
 * `tests/arch_test.ts` enforces this.
 * @module
 */
export * from "./calibration.ts";
export * from "./canonical_json.ts";
export * from "./commitment.ts";
export * from "./config.ts";
export * from "./contract.ts";
export * from "./epoch.ts";
export * from "./epoch_secrets.ts";
export * from "./fixed_point.ts";
export * from "./log.ts";
export * from "./manifest.ts";
export * from "./metrics.ts";
export * from "./ports.ts";
export * from "./prng.ts";
export * from "./s3_keys.ts";
export * from "./s3_list_xml.ts";
export * from "./sampling.ts";
export * from "./scoring.ts";
export * from "./selection.ts";
export * from "./signature.ts";
export * from "./weights_u16.ts";
export * from "./integrity.ts";
export * from "./api_client.ts";
export * from "./synapse.ts";
export * from "./assignment_signature.ts";
export * as schemas from "./schemas/mod.ts";
export * as listingSite from "./listing_site/mod.ts";
