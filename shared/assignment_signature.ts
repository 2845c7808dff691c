/**
 * Signing and verifying the API's assignments so validators can relay them to miners (the
 * `ZipcodeAssignment` synapse) without being able to alter them. The signed message is
 * `zipmine:assignment:v1:` + the SHA-256 of the assignment's canonical JSON, taken after parsing with
 * `AssignmentResponseSchema`, so the API and every miner hash the same normalised object whatever extra
 * keys a relay adds. The prefix keeps the signature from being mistaken for any other zipmine message.
 *
 * A valid signature proves only that the API issued the assignment, not that it is current: a relay can
 * replay an old one. Pass `now` (and `epochId` when one was asked for) to refuse stale assignments.
 * @module
 */
import { canonicalSha256 } from "./canonical_json.ts";
import { type AssignmentResponse, AssignmentResponseSchema } from "./schemas/zipcode_assignments.ts";
import { type SignedAssignment, SignedAssignmentSchema } from "./schemas/signed_assignment.ts";
import { type KeyringPair, signMessage, verifyHotkeySignature } from "./signature.ts";

/** The domain prefix of the assignment signature. */
export const ASSIGNMENT_SIGNATURE_PREFIX = "zipmine:assignment:v1:";

/** The message the API signs for an assignment. Throws if `assignment` is not a valid one. */
export function assignmentSigningMessage(assignment: AssignmentResponse): string {
  return `${ASSIGNMENT_SIGNATURE_PREFIX}${canonicalSha256(AssignmentResponseSchema.parse(assignment))}`;
}

/** The API's side: signs the (normalised) assignment with the API's key. */
export function signAssignment(pair: KeyringPair, assignment: AssignmentResponse): SignedAssignment {
  const normalised = AssignmentResponseSchema.parse(assignment);
  return {
    assignment: normalised,
    apiSignature: signMessage(pair, assignmentSigningMessage(normalised)),
    apiHotkey: pair.address,
  };
}

/** Why a relayed assignment was refused. */
export type AssignmentRefusal = "malformed" | "untrusted-key" | "bad-signature" | "wrong-epoch" | "expired";

/** The verdict on a relayed assignment. */
export type AssignmentVerdict =
  | { ok: true; signed: SignedAssignment }
  | { ok: false; reason: AssignmentRefusal; detail: string };

/** What a miner trusts. */
export interface AssignmentTrust {
  /** The API's published address(es); more than one allows a key rotation. */
  apiHotkeys: string | readonly string[];
  /** Milliseconds since the Unix epoch: refuse an assignment whose epoch has ended. */
  now?: number;
  /** Refuse an assignment of another epoch than the one asked for. */
  epochId?: string;
}

/**
 * The miner's side: accepts `relayed` (any JSON) only when it is a well-formed signed assignment, signed
 * by a trusted API address, for the epoch asked for and not yet ended. Never throws.
 */
export function verifySignedAssignment(relayed: unknown, trust: AssignmentTrust): AssignmentVerdict {
  const parsed = SignedAssignmentSchema.safeParse(relayed);
  if (!parsed.success) {
    return { ok: false, reason: "malformed", detail: parsed.error.issues[0]?.message ?? "invalid" };
  }
  const signed = parsed.data;
  const trusted = typeof trust.apiHotkeys === "string" ? [trust.apiHotkeys] : trust.apiHotkeys;
  if (!trusted.includes(signed.apiHotkey)) {
    return { ok: false, reason: "untrusted-key", detail: `${signed.apiHotkey} is not a trusted API key` };
  }
  const message = assignmentSigningMessage(signed.assignment);
  if (!verifyHotkeySignature({ message, signature: signed.apiSignature, hotkey: signed.apiHotkey })) {
    return { ok: false, reason: "bad-signature", detail: "the API signature does not verify" };
  }
  if (trust.epochId !== undefined && signed.assignment.epochId !== trust.epochId) {
    return {
      ok: false,
      reason: "wrong-epoch",
      detail: `asked for ${trust.epochId}, got ${signed.assignment.epochId}`,
    };
  }
  if (trust.now !== undefined && Date.parse(signed.assignment.epochEnd) <= trust.now) {
    return { ok: false, reason: "expired", detail: `epoch ${signed.assignment.epochId} has ended` };
  }
  return { ok: true, signed };
}
