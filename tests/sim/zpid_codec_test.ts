import { assertEquals, assertMatch } from "../assert.ts";
import { decodeZpid, encodeZpid, MAX_ARRIVALS_PER_DAY, MAX_DAYS } from "./zpid_codec.ts";

Deno.test("encodeZpid() round-trips through decodeZpid() at the edges of the space", () => {
  const origins = [
    { day: 0, zip: "00501", index: 0 },
    { day: MAX_DAYS - 1, zip: "99999", index: MAX_ARRIVALS_PER_DAY - 1 },
    { day: 800, zip: "77001", index: 17 },
  ];
  for (const origin of origins) {
    const zpid = encodeZpid(origin);
    assertMatch(zpid, /^\d{11}$/);
    assertEquals(decodeZpid(zpid), origin);
  }
});

Deno.test("encodeZpid() gives distinct zpids to neighbouring arrivals", () => {
  const seen = new Set<string>();
  for (let day = 700; day < 710; day++) {
    for (const zip of ["77001", "77002", "10001"]) {
      for (let index = 0; index < MAX_ARRIVALS_PER_DAY; index++) seen.add(encodeZpid({ day, zip, index }));
    }
  }
  assertEquals(seen.size, 10 * 3 * MAX_ARRIVALS_PER_DAY);
});

Deno.test("decodeZpid() rejects digit strings outside the simulated space", () => {
  assertEquals(decodeZpid("900000001"), null);
  assertEquals(decodeZpid("abc"), null);
  assertEquals(decodeZpid("29.76012--95.37011"), null);
});
