/**
 * Field schemas shared by every wire message: hotkeys, epoch ids, ZIP codes, timestamps, signatures, and
 * the alias helper that lets one schema accept both the camelCase and snake_case spellings live clients send.
 * @module
 */
import { z } from "zod";
import { parseEpochId } from "../epoch.ts";
import { NONCE_HEX_CHARS } from "../epoch_secrets.ts";
import { isHotkeyAddress } from "../signature.ts";

/** An SS58 (prefix 42) hotkey or coldkey address. */
export const HotkeySchema = z.string().regex(/^5[1-9A-HJ-NP-Za-km-z]{47}$/, "expected an SS58 address")
  .refine(isHotkeyAddress, "expected an SS58 address with prefix 42");

/** An epoch id `YYYY-MM-DDTHH-MM-SS` naming a real UTC instant. */
export const EpochIdSchema = z.string().refine((id) => {
  try {
    parseEpochId(id);
    return true;
  } catch (error) {
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}, "expected an epoch id YYYY-MM-DDTHH-MM-SS");

/** A 5-digit US ZIP code. */
export const ZipcodeSchema = z.string().regex(/^\d{5}$/, "expected a 5-digit ZIP code");

/** Unix seconds in the range the RESI API accepts; query strings are coerced. */
export const UnixSecondsSchema = z.coerce.number().int().min(1_600_000_000).max(2_147_483_647);

/** An sr25519 signature: 128 hex characters, `0x` optional. */
export const SignatureSchema = z.string().regex(/^(0x)?[0-9a-fA-F]{128}$/, "expected 128 hex characters");

/** An ISO-8601 UTC timestamp with milliseconds, e.g. `2025-10-01T16:00:00.000Z`. */
export const IsoTimeSchema = z.iso.datetime({ offset: false });

/** An epoch nonce (`epochNonce`): exactly NONCE_HEX_CHARS lowercase hex, at every point that parses one. */
export const NonceSchema = z.string().regex(
  new RegExp(`^[0-9a-f]{${NONCE_HEX_CHARS}}$`),
  `expected a nonce of ${NONCE_HEX_CHARS} lowercase hex characters`,
);

/** Hex SHA-256. */
export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex characters");

/** The three fields of every signed request. */
export const SignedFieldsSchema = z.object({
  hotkey: HotkeySchema,
  signature: SignatureSchema,
  timestamp: UnixSecondsSchema,
});

/**
 * Wraps an object schema so that each alias key (e.g. `epoch_id`) is renamed to its canonical key
 * (`epochId`) before validation, unless the canonical key is present too. This is the one place where
 * both casings are accepted; the RESI [B]-style clients send snake_case to the camelCase routes.
 */
export function withAliases<T extends z.ZodType>(schema: T, aliases: Record<string, string>) {
  return z.preprocess((input) => {
    if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
    const out: Record<string, unknown> = { ...input };
    for (const [alias, canonical] of Object.entries(aliases)) {
      if (alias in out && !(canonical in out)) out[canonical] = out[alias];
      delete out[alias];
    }
    return out;
  }, schema);
}

/** Error body both client families parse: FastAPI's `detail` and NestJS's `statusCode`/`message`/`error`. */
export const ErrorBodySchema = z.object({
  detail: z.string(),
  statusCode: z.number().int(),
  message: z.string(),
  error: z.string(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
