import { assertEquals } from "../tests/assert.ts";
import { minPairAgreement, normalisedWeights, weightAgreement } from "./weight_agreement.ts";

Deno.test("normalisedWeights() sums to 1 with the burn under owner, and is all 0 for an empty vector", () => {
  assertEquals(
    normalisedWeights({ weights: { a: 300_000, b: 100_000 }, burn: { uid: 0, weight: 100_000 } }),
    {
      a: 0.6,
      b: 0.2,
      owner: 0.2,
    },
  );
  assertEquals(normalisedWeights({ weights: { a: 0 }, burn: null }), { a: 0 });
});

Deno.test("weightAgreement() is 1 for identical vectors, 0 for disjoint ones, and symmetric", () => {
  assertEquals(weightAgreement({ a: 0.5, b: 0.5 }, { b: 0.5, a: 0.5 }), 1);
  assertEquals(weightAgreement({ a: 1 }, { b: 1 }), 0);
  assertEquals(weightAgreement({ a: 0.6, b: 0.4 }, { a: 0.5, b: 0.5 }), 0.9);
  assertEquals(weightAgreement({ a: 0.75, b: 0.25 }, { a: 0.5, b: 0.5 }), 0.75);
  assertEquals(weightAgreement({ a: 0.5, b: 0.5 }, { a: 0.75, b: 0.25 }), 0.75);
});

Deno.test("minPairAgreement() is the least-agreeing pair, and null below two validators", () => {
  assertEquals(minPairAgreement([]), null);
  assertEquals(minPairAgreement([{ a: 1 }]), null);
  assertEquals(minPairAgreement([{ a: 1 }, { a: 1 }, { a: 0.5, b: 0.5 }]), 0.5);
  // Not only pairs with the first: the 2nd and 3rd disagree most.
  assertEquals(minPairAgreement([{ a: 0.5, b: 0.5 }, { a: 1 }, { b: 1 }]), 0);
});
