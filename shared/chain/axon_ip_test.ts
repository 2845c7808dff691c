import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { ipFromChain, ipToChain } from "./axon_ip.ts";

Deno.test("ipToChain() packs IPv4 into the low 32 bits", () => {
  assertEquals(ipToChain("1.2.3.4"), { ip: 0x01020304n, ipType: 4 });
  assertEquals(ipToChain("255.255.255.255"), { ip: 0xffffffffn, ipType: 4 });
  assertEquals(ipToChain("0.0.0.0"), { ip: 0n, ipType: 4 });
});

Deno.test("ipToChain() parses IPv6, compressed and with an IPv4 tail", () => {
  assertEquals(ipToChain("::1"), { ip: 1n, ipType: 6 });
  assertEquals(ipToChain("2001:db8::ff00:42:8329"), {
    ip: 0x20010db8000000000000ff0000428329n,
    ipType: 6,
  });
  assertEquals(ipToChain("::ffff:1.2.3.4"), { ip: 0xffff01020304n, ipType: 6 });
  assertEquals(ipToChain("1:2:3:4:5:6:7:8"), { ip: 0x00010002000300040005000600070008n, ipType: 6 });
});

Deno.test("ipToChain() refuses malformed addresses", () => {
  for (
    const bad of ["", "1.2.3", "256.1.1.1", "01.2.3.4", "1::2::3", "1:2:3:4:5:6:7:8:9", "host.example", "::g"]
  ) {
    assertThrows(() => ipToChain(bad), RangeError, "Invalid IP address");
  }
});

Deno.test("ipFromChain() inverts ipToChain()", () => {
  for (const text of ["1.2.3.4", "10.0.0.255", "::1", "2001:db8::ff00:42:8329", "1:2:3:4:5:6:7:8", "::"]) {
    const { ip, ipType } = ipToChain(text);
    assertEquals(ipFromChain(ip, ipType), text);
  }
  assertEquals(ipFromChain(0x20010db8000000000000000000000001n, 6), "2001:db8::1");
  assertEquals(ipFromChain(0x00010000000000010000000000000001n, 6), "1:0:0:1::1");
});

Deno.test("ipFromChain() refuses unknown types and out-of-range integers", () => {
  assertThrows(() => ipFromChain(1n, 5), RangeError, "neither 4 nor 6");
  assertThrows(() => ipFromChain(1n << 32n, 4), RangeError, "exceeds 32 bits");
  assertThrows(() => ipFromChain(1n << 128n, 6), RangeError, "exceeds 128 bits");
});
