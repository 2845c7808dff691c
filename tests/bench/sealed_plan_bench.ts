// Sealing and opening one epoch's plan (issue 18): the API seals SEALED_PLANS_AHEAD + 1 plans at its first
// minute job, every opener pays one pulse check and one IBE decryption per plan and per seed.
import { beaconPublicKey, signRound } from "../../shared/chain/tlock/drand.ts";
import { seedCommitment } from "../../shared/epoch_secrets.ts";
import { openSealedPlan, sealPlan } from "../../shared/sealed_plan.ts";
import { testAssignment } from "../../shared/testing/assignment_fixture.ts";
import { createKeyring, cryptoReady } from "../../shared/signature.ts";

await cryptoReady();
const api = createKeyring().addFromUri("//bench/api");
const secret = new Uint8Array(32).fill(5);
const beacon = { publicKey: beaconPublicKey(secret), genesisTime: 1692803367, period: 3 };
const rng = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const seed = "7".repeat(64);
// 20 ZIPs: a plan of the production target (10,000 listings at 200..3,000 per ZIP) has about that many.
const zipcodes = Array.from({ length: 20 }, (_, i) => ({
  zipcode: String(10000 + i),
  expectedListings: 500,
  state: "NY",
  city: `City ${i}`,
  county: `County ${i}`,
  marketTier: "PREMIUM" as const,
  geographicRegion: "Northeast",
  latitude: 40.7,
  longitude: -74,
}));
const assignment = testAssignment(zipcodes, { seedCommitment: seedCommitment(seed) });
const sealed = sealPlan(api, { assignment, seed }, beacon, rng);
const pulse = signRound(secret, BigInt(sealed.planRound));
const trust = { apiHotkeys: api.address, beacon, nowMs: Date.parse(assignment.epochStart) };
console.log(`sealed plan of 20 ZIPs: ${JSON.stringify(sealed).length} bytes of JSON`);

Deno.bench("sealPlan: one epoch (plan and seed ciphertexts, two signatures)", () => {
  sealPlan(api, { assignment, seed }, beacon, rng);
});

Deno.bench("openSealedPlan: pulse check, IBE decryption, both signatures", () => {
  if (!openSealedPlan(sealed, pulse, trust).ok) throw new Error("did not open");
});
