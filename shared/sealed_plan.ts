/**
 * Sealed epoch plans (issue 18): the network keeps running while the API is down. Days ahead, the API
 * publishes for each epoch
 *
 * - its signed assignment (ZIPs, expected counts, nonce, seed commitment; the same `signAssignment` message a
 *   relayed assignment carries) timelock-encrypted to the first drand round at or after the epoch's start;
 * - its sampling seed encrypted to the first round at or after the submission deadline;
 *
 * in an envelope the API signs with the same key (`zipmine:sealed-plan:v1:` + canonical SHA-256 of the
 * envelope), so a relaying validator can neither swap a ciphertext nor re-seal a plan of its own. Opening
 * takes the round's pulse (from the chain's Drand pallet or a drand relay): the pulse must verify under the
 * trusted beacon key, the opened assignment under a trusted API key, the seed against the signed commitment.
 * Before the round there is no pulse and opening refuses with `too-early`. Pure: randomness comes in as
 * `rng`, the time as `nowMs`.
 * @module
 */
import { type AssignmentTrust, signAssignment, verifySignedAssignment } from "./assignment_signature.ts";
import { canonicalJson, canonicalSha256 } from "./canonical_json.ts";
import { type BeaconInfo, bytesToHex, hexToBytes, type Pulse, verifyPulse } from "./chain/tlock/drand.ts";
import type { Rng } from "./chain/tlock/ibe.ts";
import { tlockDecrypt, tlockEncrypt } from "./chain/tlock/tlock.ts";
import { firstRoundAtOrAfter, roundTimeMs } from "./drand_schedule.ts";
import { verifySeed } from "./epoch_secrets.ts";
import { type SealedPlan, type SealedPlanBody, SealedPlanSchema } from "./schemas/sealed_plan.ts";
import type { SignedAssignment } from "./schemas/signed_assignment.ts";
import type { AssignmentResponse } from "./schemas/zipcode_assignments.ts";
import { type KeyringPair, signMessage, verifyHotkeySignature } from "./signature.ts";

/** The domain prefix of the envelope signature. */
export const SEALED_PLAN_SIGNATURE_PREFIX = "zipmine:sealed-plan:v1:";

/** The message the API signs for an envelope. */
export function sealedPlanSigningMessage(body: SealedPlanBody): string {
  const { version, epochId, beaconPublicKey, planRound, seedRound, planCiphertext, seedCiphertext } = body;
  return `${SEALED_PLAN_SIGNATURE_PREFIX}${
    canonicalSha256({
      version,
      epochId,
      beaconPublicKey,
      planRound,
      seedRound,
      planCiphertext,
      seedCiphertext,
    })
  }`;
}

/** What the API seals for one epoch. */
export interface PlanToSeal {
  /** The assignment as `/current` serves it once the epoch runs (status ACTIVE). */
  assignment: AssignmentResponse;
  /** The sampling seed behind `assignment.seedCommitment`. */
  seed: string;
}

/** The API's side: seals and signs one epoch's plan to `beacon`. Throws on a seed that is not committed to. */
export function sealPlan(pair: KeyringPair, plan: PlanToSeal, beacon: BeaconInfo, rng: Rng): SealedPlan {
  if (!verifySeed(plan.seed, plan.assignment.seedCommitment)) {
    throw new RangeError(`Cannot seal ${plan.assignment.epochId}: the seed does not match its commitment`);
  }
  const signed = signAssignment(pair, plan.assignment);
  const planRound = firstRoundAtOrAfter(beacon, Date.parse(signed.assignment.epochStart));
  const seedRound = firstRoundAtOrAfter(beacon, Date.parse(signed.assignment.submissionDeadline));
  const encoder = new TextEncoder();
  const body: SealedPlanBody = {
    version: 1,
    epochId: signed.assignment.epochId,
    beaconPublicKey: bytesToHex(beacon.publicKey),
    planRound: planRound.toString(),
    seedRound: seedRound.toString(),
    planCiphertext: bytesToHex(
      tlockEncrypt(beacon.publicKey, planRound, encoder.encode(canonicalJson(signed)), rng),
    ),
    seedCiphertext: bytesToHex(tlockEncrypt(beacon.publicKey, seedRound, encoder.encode(plan.seed), rng)),
  };
  return {
    ...body,
    apiHotkey: pair.address,
    apiSignature: signMessage(pair, sealedPlanSigningMessage(body)),
  };
}

/** Why a sealed plan was refused or could not be opened (yet). */
export type SealRefusal =
  | "malformed"
  | "untrusted-key"
  | "bad-signature"
  | "wrong-beacon"
  | "too-early"
  | "bad-pulse"
  | "undecryptable"
  | "bad-assignment"
  | "bad-seed";

export type SealVerdict<T> = { ok: true; value: T } | { ok: false; reason: SealRefusal; detail: string };

/** What an opener trusts: the API's published key(s) and the beacon (quicknet, or the localnet's). */
export interface SealTrust {
  apiHotkeys: AssignmentTrust["apiHotkeys"];
  beacon: BeaconInfo;
}

const refuse = (reason: SealRefusal, detail: string) => ({ ok: false as const, reason, detail });

/**
 * Checks the envelope only (shape, API signature, beacon): what validators check before they store or serve
 * a copy. Never throws.
 */
export function verifySealedPlan(raw: unknown, trust: SealTrust): SealVerdict<SealedPlan> {
  const parsed = SealedPlanSchema.safeParse(raw);
  if (!parsed.success) return refuse("malformed", parsed.error.issues[0]?.message ?? "invalid");
  const sealed = parsed.data;
  const trusted = typeof trust.apiHotkeys === "string" ? [trust.apiHotkeys] : trust.apiHotkeys;
  if (!trusted.includes(sealed.apiHotkey)) {
    return refuse("untrusted-key", `${sealed.apiHotkey} is not a trusted API key`);
  }
  const message = sealedPlanSigningMessage(sealed);
  if (!verifyHotkeySignature({ message, signature: sealed.apiSignature, hotkey: sealed.apiHotkey })) {
    return refuse("bad-signature", "the API signature of the sealed plan does not verify");
  }
  if (sealed.beaconPublicKey !== bytesToHex(trust.beacon.publicKey)) {
    return refuse("wrong-beacon", "the plan is sealed to another beacon than the trusted one");
  }
  return { ok: true, value: sealed };
}

/** Decrypts the ciphertext of `round` with its pulse, after checking the pulse; a refusal otherwise. */
function openRound(
  sealed: SealedPlan,
  which: "plan" | "seed",
  pulse: Pulse | null,
  trust: SealTrust,
  nowMs: number,
): SealVerdict<string> {
  const round = BigInt(which === "plan" ? sealed.planRound : sealed.seedRound);
  if (pulse === null) {
    const dueMs = roundTimeMs(trust.beacon, round);
    const wait = Math.max(0, Math.ceil((dueMs - nowMs) / 1000));
    return refuse(
      "too-early",
      `the ${which} of ${sealed.epochId} opens with drand round ${round}, due ${
        new Date(dueMs).toISOString()
      } (in ${wait} s); no pulse for it yet`,
    );
  }
  if (pulse.round !== round) return refuse("bad-pulse", `pulse of round ${pulse.round}, want ${round}`);
  if (!verifyPulse(trust.beacon.publicKey, pulse)) {
    return refuse("bad-pulse", `the pulse of round ${round} does not verify under the beacon key`);
  }
  try {
    const bytes = tlockDecrypt(
      hexToBytes(which === "plan" ? sealed.planCiphertext : sealed.seedCiphertext),
      pulse.signature,
    );
    return { ok: true, value: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch (error) {
    return refuse("undecryptable", error instanceof Error ? error.message : String(error));
  }
}

/**
 * Opens the epoch's signed assignment with the pulse of `planRound` (null: not emitted yet). The opened
 * assignment must verify under a trusted API key, be of the envelope's epoch, and not start after its round
 * (a plan sealed to a round before its start would have been readable early). Never throws.
 */
export function openSealedPlan(
  raw: unknown,
  pulse: Pulse | null,
  trust: SealTrust & { nowMs: number },
): SealVerdict<SignedAssignment> {
  const envelope = verifySealedPlan(raw, trust);
  if (!envelope.ok) return envelope;
  const sealed = envelope.value;
  const opened = openRound(sealed, "plan", pulse, trust, trust.nowMs);
  if (!opened.ok) return opened;
  let json: unknown;
  try {
    json = JSON.parse(opened.value);
  } catch {
    return refuse("bad-assignment", "the opened plan is not JSON");
  }
  const verdict = verifySignedAssignment(json, { apiHotkeys: trust.apiHotkeys, epochId: sealed.epochId });
  if (!verdict.ok) return refuse("bad-assignment", `${verdict.reason}: ${verdict.detail}`);
  const { assignment } = verdict.signed;
  if (Date.parse(assignment.epochStart) > roundTimeMs(trust.beacon, BigInt(sealed.planRound))) {
    return refuse("bad-assignment", `the plan's round ${sealed.planRound} comes before its epoch starts`);
  }
  return { ok: true, value: verdict.signed };
}

/**
 * Opens the epoch's sampling seed with the pulse of `seedRound`; the seed must match `seedCommitment` (from
 * the opened or the API's signed assignment). Never throws.
 */
export function openSealedSeed(
  raw: unknown,
  pulse: Pulse | null,
  seedCommitment: string,
  trust: SealTrust & { nowMs: number },
): SealVerdict<string> {
  const envelope = verifySealedPlan(raw, trust);
  if (!envelope.ok) return envelope;
  const opened = openRound(envelope.value, "seed", pulse, trust, trust.nowMs);
  if (!opened.ok) return opened;
  if (!verifySeed(opened.value, seedCommitment)) {
    return refuse("bad-seed", `the opened seed of ${envelope.value.epochId} does not match its commitment`);
  }
  return opened;
}
