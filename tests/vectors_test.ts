// Golden vectors: one Deno test per vector in tests/vectors/*.json (provenance in tests/vectors/README.md).
import { assert, assertEquals, assertThrows } from "./assert.ts";
import { canonicalJson } from "../shared/canonical_json.ts";
import { buildCommitment, type CommitmentKind, type CommitmentParams } from "../shared/commitment.ts";
import { epochAt, epochById, weightsEpochAt } from "../shared/epoch.ts";
import {
  epochNonce,
  samplingSeed,
  seedCommitment,
  selectionSeed,
  verifySeed,
} from "../shared/epoch_secrets.ts";
import { createPrng } from "../shared/prng.ts";
import * as keys from "../shared/s3_keys.ts";
import { drawSpotChecks, type SpotCheckDrawInput } from "../shared/sampling.ts";
import {
  type EpochFacts,
  type MinerFacts,
  scoreEpoch,
  type ScoringParams,
  type ScoringResult,
  weightsByUid,
} from "../shared/scoring.ts";
import { toU16Weights, type U16Weights, type UidWeight } from "../shared/weights_u16.ts";
import { createKeyring, cryptoReady, verifyHotkeySignature } from "../shared/signature.ts";
import {
  buildSynapseRequestHeaders,
  inputObjHeaderValue,
  parseSynapseHeaders,
  pythonFloatRepr,
  synapseBodyHash,
  synapseSigningMessage,
  ZipcodeAssignmentSynapse,
} from "../shared/synapse.ts";
import { hexToU8a, u8aToHex } from "@polkadot/util";

interface Vector<I, E> {
  name: string;
  input: I;
  expected: E;
}

async function load<T>(name: string): Promise<T> {
  return JSON.parse(await Deno.readTextFile(new URL(`./vectors/${name}`, import.meta.url)));
}

const prng = await load<Vector<{ seed: string }, Record<string, number[]>>[]>("prng.json");
for (const v of prng) {
  Deno.test(`prng vector: ${v.name}`, () => {
    const u32 = createPrng(v.input.seed);
    assertEquals(v.expected.u32.map(() => u32.nextU32()), v.expected.u32);
    const ns = [1, 2, 3, 7, 10, 1000, 4294967295, 4294967296, 2 ** 31 + 1];
    const below = createPrng(v.input.seed);
    assertEquals(ns.map((n) => below.nextBelow(n)), v.expected.below);
    const floats = createPrng(v.input.seed);
    assertEquals(v.expected.floats.map(() => floats.nextFloat()), v.expected.floats);
    const items = Array.from({ length: 20 }, (_, i) => i);
    assertEquals(createPrng(v.input.seed).shuffle(items), v.expected.shuffle20);
  });
}

type EpochVector = Vector<
  { at: string; epochSeconds: number; uploadLeadSeconds: number },
  Record<string, string | number>
>;
for (const v of await load<EpochVector[]>("epoch.json")) {
  Deno.test(`epoch vector: ${v.name}`, () => {
    const options = { epochSeconds: v.input.epochSeconds, uploadLeadSeconds: v.input.uploadLeadSeconds };
    const { weightsEpochId, ...expected } = v.expected;
    const epoch = epochAt(new Date(v.input.at), options);
    assertEquals({ ...epoch }, expected);
    assertEquals(epochById(epoch.id, options), epoch);
    assertEquals(weightsEpochAt(new Date(v.input.at), options)?.id, weightsEpochId);
  });
}

for (
  const v of await load<Vector<{ kind: CommitmentKind; params: CommitmentParams[CommitmentKind] }, string>[]>(
    "commitment.json",
  )
) {
  Deno.test(`commitment vector: ${v.name}`, () => {
    assertEquals(buildCommitment(v.input.kind, v.input.params), v.expected);
  });
}

interface KeyVectors {
  build: Vector<{ fn: string; args: string[] }, string>[];
  reject: { name: string; input: string; hotkey?: string }[];
}
const keyVectors = await load<KeyVectors>("s3_keys.json");
for (const v of keyVectors.build) {
  Deno.test(`s3 key vector: ${v.name} builds and parses back`, () => {
    const build = (keys as unknown as Record<string, (...a: string[]) => string>)[v.input.fn];
    const key = build(...v.input.args);
    assertEquals(key, v.expected);
    if (!key.endsWith("/")) {
      const parsed = keys.parseObjectKey(key, { hotkey: v.input.args[0] });
      assertEquals(parsed.hotkey, v.input.args[0]);
      assertEquals(parsed.epochId, v.input.args[1]);
    }
  });
}
for (const v of keyVectors.reject) {
  Deno.test(`s3 key vector: rejects ${v.name}`, () => {
    assertThrows(() => keys.parseObjectKey(v.input, { hotkey: v.hotkey }), SyntaxError);
  });
}

interface SignatureVectors {
  keys: Vector<{ secretSeed: string }, { ss58Address: string; publicKey: string }>[];
  verify: Vector<{ hotkey: string; message: string; signature: string }, boolean>[];
}
const sigVectors = await load<SignatureVectors>("signature.json");
await cryptoReady();
for (const v of sigVectors.keys) {
  Deno.test(`signature vector: ${v.name} derives its address`, () => {
    const pair = createKeyring().addFromSeed(hexToU8a(v.input.secretSeed));
    assertEquals(pair.address, v.expected.ss58Address);
    assertEquals(u8aToHex(pair.publicKey), v.expected.publicKey);
  });
}
for (const v of sigVectors.verify) {
  Deno.test(`signature vector: ${v.name} -> ${v.expected ? "valid" : "invalid"}`, () => {
    assert(verifyHotkeySignature(v.input) === v.expected);
  });
}

for (const v of await load<Vector<unknown, string>[]>("canonical_json.json")) {
  Deno.test(`canonical JSON vector: ${v.name}`, () => {
    assertEquals(canonicalJson(v.input), v.expected);
  });
}

type SecretVector = Vector<{ secret: string; epochId: string }, Record<string, string>>;
for (const v of await load<SecretVector[]>("epoch_secrets.json")) {
  Deno.test(`epoch secrets vector: ${v.name}`, () => {
    const { secret, epochId } = v.input;
    assertEquals(u8aToHex(selectionSeed(secret, epochId)).slice(2), v.expected.selectionSeed);
    assertEquals(epochNonce(secret, epochId), v.expected.nonce);
    assertEquals(samplingSeed(secret, epochId), v.expected.samplingSeed);
    assertEquals(seedCommitment(v.expected.samplingSeed), v.expected.seedCommitment);
    assert(verifySeed(v.expected.samplingSeed, v.expected.seedCommitment));
  });
}

for (const v of await load<Vector<SpotCheckDrawInput, string[]>[]>("sampling.json")) {
  Deno.test(`sampling vector: ${v.name}`, () => {
    assertEquals(drawSpotChecks(v.input), v.expected);
  });
}

type ScoringVector = Vector<
  { miners: MinerFacts[]; epoch: EpochFacts; params: ScoringParams },
  ScoringResult & { uidWeights: UidWeight[]; u16: U16Weights }
>;
for (const v of await load<ScoringVector[]>("scoring.json")) {
  Deno.test(`scoring vector: ${v.name}`, () => {
    const { uidWeights, u16, ...expected } = v.expected;
    const result = scoreEpoch(v.input.miners, v.input.epoch, v.input.params);
    assertEquals(result, expected);
    assertEquals(weightsByUid(result), uidWeights);
    assertEquals(toU16Weights(uidWeights), u16);
  });
}

for (const v of await load<Vector<UidWeight[], U16Weights>[]>("weights_u16.json")) {
  Deno.test(`u16 weights vector: ${v.name}`, () => {
    assertEquals(toU16Weights(v.input), v.expected);
  });
}

interface SynapseVectors {
  bodyHash: Vector<{ fields: Record<string, unknown>; requiredHashFields: string[] }, string>[];
  pythonFloat: Vector<number, string>[];
  inputObj: Vector<unknown, string>[];
  request: Vector<
    {
      synapse: string;
      fields: Record<string, unknown>;
      axon: { ip: string; port: number; hotkey: string; secretSeed: string };
      dendrite: {
        hotkey: string;
        secretSeed: string;
        nonce: string;
        uuid: string;
        ip: string;
        version: number;
      };
      timeoutSeconds: number;
      signature: string;
    },
    { bodyHash: string; message: string; headers: Record<string, string>; signatureValid: boolean }
  >[];
}
const synapseVectors = await load<SynapseVectors>("synapse.json");
for (const v of synapseVectors.bodyHash) {
  Deno.test(`synapse vector: body hash, ${v.name}`, () => {
    assertEquals(synapseBodyHash(v.input.fields, v.input.requiredHashFields), v.expected);
  });
}
for (const v of synapseVectors.pythonFloat) {
  Deno.test(`synapse vector: Python str(float) of ${v.name}`, () => {
    assertEquals(pythonFloatRepr(v.input), v.expected);
  });
}
for (const v of synapseVectors.inputObj) {
  Deno.test(`synapse vector: bt_header_input_obj_ dummy of a ${v.name}`, () => {
    assertEquals(inputObjHeaderValue(v.input), v.expected);
  });
}
for (const v of synapseVectors.request) {
  Deno.test(`synapse vector: ${v.name}`, () => {
    const { input, expected } = v;
    const keyring = createKeyring();
    assertEquals(keyring.addFromSeed(hexToU8a(input.dendrite.secretSeed)).address, input.dendrite.hotkey);
    assertEquals(keyring.addFromSeed(hexToU8a(input.axon.secretSeed)).address, input.axon.hotkey);
    assertEquals(input.synapse, ZipcodeAssignmentSynapse.name);
    const bodyHash = synapseBodyHash(input.fields, ZipcodeAssignmentSynapse.requiredHashFields);
    assertEquals(bodyHash, expected.bodyHash);
    const nonce = BigInt(input.dendrite.nonce);
    const message = synapseSigningMessage({
      nonce,
      dendriteHotkey: input.dendrite.hotkey,
      axonHotkey: input.axon.hotkey,
      uuid: input.dendrite.uuid,
      bodyHash,
    });
    assertEquals(message, expected.message);
    const request = {
      synapse: ZipcodeAssignmentSynapse,
      fields: input.fields,
      axon: input.axon,
      dendrite: { ...input.dendrite, nonce },
      timeoutSeconds: input.timeoutSeconds,
    };
    const headers = buildSynapseRequestHeaders(request, bodyHash, input.signature);
    assertEquals(Object.entries(headers), Object.entries(expected.headers));
    const parsed = parseSynapseHeaders(expected.headers);
    assert(parsed.ok);
    assertEquals(parsed.value.dendrite.nonce, nonce);
    assertEquals(
      verifyHotkeySignature({ message, signature: input.signature, hotkey: input.dendrite.hotkey }),
      expected.signatureValid,
    );
  });
}
