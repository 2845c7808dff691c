import { assert, assertEquals, assertThrows } from "../tests/assert.ts";
import { encodeManifest, signManifest, verifyManifest } from "./manifest.ts";
import { createKeyring, cryptoReady } from "./signature.ts";
import { SignedManifestSchema } from "./schemas/manifest.ts";
import type { ManifestBody } from "./schemas/manifest.ts";

await cryptoReady();
const miner = createKeyring().addFromUri("//Alice");
const other = createKeyring().addFromUri("//Bob");
const body: ManifestBody = {
  version: 1,
  epoch_id: "2025-10-01T16-00-00",
  miner_hotkey: miner.address,
  created_at: "2025-10-01T19:30:00.000Z",
  files: [{ key: "k", zipcode: "77001", sha256: "a".repeat(64), rows: 812, bytes: 40_000 }],
  total_rows: 812,
};

Deno.test("signManifest() produces a manifest that verifies and survives encoding", () => {
  const signed = signManifest(miner, body);
  assert(verifyManifest(signed));
  const { text, sha256 } = encodeManifest(signed);
  const decoded = SignedManifestSchema.parse(JSON.parse(text));
  assert(verifyManifest(decoded));
  assertEquals(encodeManifest(decoded).sha256, sha256);
});

Deno.test("verifyManifest() fails when any claim changes", () => {
  const signed = signManifest(miner, body);
  const inflated = { ...signed, manifest: { ...body, total_rows: 9999 } };
  assert(!verifyManifest(inflated));
  const swapped = { ...signed, manifest: { ...body, files: [{ ...body.files[0], sha256: "b".repeat(64) }] } };
  assert(!verifyManifest(swapped));
});

Deno.test("signManifest() refuses to sign another hotkey's manifest", () => {
  assertThrows(() => signManifest(other, body), RangeError);
});
