/**
 * The per-epoch upload manifest: what a miner claims to have uploaded (each file's key, SHA-256 and row
 * count), signed by the miner's hotkey. It is stored at `minerManifestKey(...)` as canonical JSON; its
 * SHA-256 is what the miner reports with the COMPLETED status, so the API's receipt pins the exact upload.
 * @module
 */
import { z } from "zod";
import {
  EpochIdSchema,
  HotkeySchema,
  IsoTimeSchema,
  Sha256Schema,
  SignatureSchema,
  ZipcodeSchema,
} from "./common.ts";

/** Most files one manifest may name (the validator's budget, MAX_MINER_FILES, is usually lower). */
export const MAX_MANIFEST_FILES = 10_000;

/** One uploaded data file. */
export const ManifestFileSchema = z.object({
  key: z.string().max(512),
  zipcode: ZipcodeSchema,
  sha256: Sha256Schema,
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});

/** The signed part of the manifest. */
export const ManifestBodySchema = z.object({
  version: z.literal(1),
  epoch_id: EpochIdSchema,
  miner_hotkey: HotkeySchema,
  created_at: IsoTimeSchema,
  // A key listed twice would be downloaded, hashed and counted twice: the manifest itself is malformed.
  files: z.array(ManifestFileSchema).max(MAX_MANIFEST_FILES).refine(
    (files) => new Set(files.map((f) => f.key)).size === files.length,
    { error: "lists a key twice" },
  ),
  total_rows: z.number().int().nonnegative(),
});
export type ManifestBody = z.infer<typeof ManifestBodySchema>;

/** The manifest as stored: the body and the hotkey's signature over `manifestSigningMessage(body)`. */
export const SignedManifestSchema = z.object({
  manifest: ManifestBodySchema,
  signature: SignatureSchema,
});
export type SignedManifest = z.infer<typeof SignedManifestSchema>;
