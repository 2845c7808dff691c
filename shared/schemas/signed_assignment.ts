/**
 * The API-signed assignment that validators relay to miners over the `ZipcodeAssignment` synapse. The API
 * signs `zipmine:assignment:v1:` + the canonical SHA-256 of the assignment with its own sr25519 key and
 * publishes that key's address; a miner accepts a relayed assignment only when the signature verifies
 * under a trusted API address (`shared/assignment_signature.ts`), so a validator can relay but not forge.
 *
 * The synapse's fields (camelCase, as every zipmine wire shape). The Python equivalent is:
 * `class ZipcodeAssignment(bt.Synapse)` with `epochId: Optional[str] = None`, `assignment: Optional[dict]
 * = None`, `apiSignature: Optional[str] = None`, `apiHotkey: Optional[str] = None` and
 * `required_hash_fields: ClassVar[tuple[str, ...]] = ("epochId",)`.
 * @module
 */
import { z } from "zod";
import { EpochIdSchema, HotkeySchema, SignatureSchema } from "./common.ts";
import { AssignmentResponseSchema } from "./zipcode_assignments.ts";

/** An assignment as the API issued it, with the API's signature and the address that made it. */
export const SignedAssignmentSchema = z.object({
  assignment: AssignmentResponseSchema,
  /** sr25519 by `apiHotkey` over `zipmine:assignment:v1:{canonicalSha256(assignment)}`. */
  apiSignature: SignatureSchema,
  apiHotkey: HotkeySchema,
});
export type SignedAssignment = z.infer<typeof SignedAssignmentSchema>;

/** The request fields of the `ZipcodeAssignment` synapse: empty for the current epoch, or one epoch id. */
export const ZipcodeAssignmentRequestSchema = z.object({
  /** Hashed into the body hash, so the signed request pins the epoch asked for. */
  epochId: EpochIdSchema.nullable().optional(),
});
export type ZipcodeAssignmentRequest = z.infer<typeof ZipcodeAssignmentRequestSchema>;

/** The response fields of the `ZipcodeAssignment` synapse: the signed assignment, flattened. */
export const ZipcodeAssignmentResponseSchema = SignedAssignmentSchema;
export type ZipcodeAssignmentResponse = SignedAssignment;
