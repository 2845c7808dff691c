/**
 * Signing and verifying upload manifests. The signed message is `zipmine:manifest:v1:` + the SHA-256 of the
 * body's canonical JSON, so the signature covers every file entry and can never be confused with an API
 * commitment. The manifest's own identity (reported with COMPLETED) is the SHA-256 of the stored bytes.
 * @module
 */
import { canonicalJson, canonicalSha256, sha256Hex } from "./canonical_json.ts";
import type { ManifestBody, SignedManifest } from "./schemas/manifest.ts";
import { type KeyringPair, signMessage, verifyHotkeySignature } from "./signature.ts";

/** The message a miner signs for a manifest body. */
export function manifestSigningMessage(body: ManifestBody): string {
  return `zipmine:manifest:v1:${canonicalSha256(body)}`;
}

/** Signs `body` with the miner's hotkey, which must be the body's `miner_hotkey`. */
export function signManifest(pair: KeyringPair, body: ManifestBody): SignedManifest {
  if (pair.address !== body.miner_hotkey) {
    throw new RangeError(`Cannot sign a manifest of ${body.miner_hotkey} with ${pair.address}`);
  }
  return { manifest: body, signature: signMessage(pair, manifestSigningMessage(body)) };
}

/** True when the manifest is signed by its own `miner_hotkey`. */
export function verifyManifest(signed: SignedManifest): boolean {
  return verifyHotkeySignature({
    message: manifestSigningMessage(signed.manifest),
    signature: signed.signature,
    hotkey: signed.manifest.miner_hotkey,
  });
}

/** The stored bytes of a signed manifest (canonical JSON) and their SHA-256. */
export function encodeManifest(signed: SignedManifest): { text: string; sha256: string } {
  const text = canonicalJson(signed);
  return { text, sha256: sha256Hex(text) };
}
