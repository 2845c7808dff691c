/**
 * A sealed epoch plan (issue 18): published by the API days ahead, stored and served by validators, opened
 * by anyone once drand has emitted its rounds (`shared/sealed_plan.ts`). One schema for the API's route,
 * the validators' copies and every state folder.
 * @module
 */
import { z } from "zod";
import { EpochIdSchema, HotkeySchema, SignatureSchema } from "./common.ts";

/** A drand round, as a decimal string (rounds exceed 2^53 only in the very far future, but stay exact). */
export const RoundSchema = z.string().regex(/^[1-9][0-9]{0,19}$/, "expected a drand round number");

/** A tlock ciphertext as lowercase hex; a plan is a few KiB, so 1 MiB bounds any honest one. */
const CiphertextHexSchema = z.string().regex(/^([0-9a-f]{2})+$/, "expected hex").max(2 << 20);

/** The envelope the API signs: which beacon and rounds, and both ciphertexts. */
export const SealedPlanBodySchema = z.object({
  version: z.literal(1),
  epochId: EpochIdSchema,
  /** The beacon's 96-byte G2 public key (hex): openers refuse a plan sealed to a beacon they do not trust. */
  beaconPublicKey: z.string().regex(/^[0-9a-f]{192}$/, "expected a 96-byte G2 key as hex"),
  /** First round emitted at or after the epoch's start: opens the signed assignment. */
  planRound: RoundSchema,
  /** First round emitted at or after the submission deadline: opens the sampling seed. */
  seedRound: RoundSchema,
  planCiphertext: CiphertextHexSchema,
  seedCiphertext: CiphertextHexSchema,
});
export type SealedPlanBody = z.infer<typeof SealedPlanBodySchema>;

/** The envelope with the API's signature over it (`zipmine:sealed-plan:v1:` + canonical SHA-256). */
export const SealedPlanSchema = SealedPlanBodySchema.extend({
  apiHotkey: HotkeySchema,
  apiSignature: SignatureSchema,
});
export type SealedPlan = z.infer<typeof SealedPlanSchema>;

/** `GET /api/v1/sealed-plans` and the validators' copies: the sealed plans of upcoming epochs. */
export const SealedPlansResponseSchema = z.object({
  success: z.literal(true),
  plans: z.array(SealedPlanSchema).max(1000),
});
export type SealedPlansResponse = z.infer<typeof SealedPlansResponseSchema>;

/** A drand relay's `GET {relay}/public/{round}` answer (fields zipmine reads; drand adds more). */
export const DrandPulseResponseSchema = z.object({
  round: z.number().int().positive(),
  signature: z.string().regex(/^[0-9a-f]{96}$/, "expected a 48-byte G1 signature as hex"),
});

/** The request of the `SealedPlans` synapse: the held plans from one epoch on (default: the previous). */
export const SealedPlansRequestSchema = z.object({
  /** Hashed into the body hash, so the signed request pins what was asked for. */
  fromEpochId: EpochIdSchema.nullable().optional(),
});

/** The response of the `SealedPlans` synapse: a validator's verified copies. */
export const SealedPlansSynapseResponseSchema = z.object({ plans: z.array(SealedPlanSchema).max(100) });
