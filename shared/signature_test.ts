import { assert, assertEquals, assertMatch, assertThrows } from "../tests/assert.ts";
import {
  createKeyring,
  cryptoReady,
  isHotkeyAddress,
  signMessage,
  verifyHotkeySignature,
} from "./signature.ts";
import { Keyring } from "@polkadot/keyring";

await cryptoReady();
const alice = createKeyring().addFromUri("//Alice");

Deno.test("signMessage() output verifies, with and without 0x", () => {
  const message = "zipcode:assignment:current:1759334400";
  const signature = signMessage(alice, message);
  assertMatch(signature, /^0x[0-9a-f]{128}$/);
  assert(verifyHotkeySignature({ message, signature, hotkey: alice.address }));
  assert(verifyHotkeySignature({ message, signature: signature.slice(2), hotkey: alice.address }));
  assert(!verifyHotkeySignature({ message: `${message}0`, signature, hotkey: alice.address }));
});

Deno.test("signMessage() refuses non-sr25519 keys", () => {
  const ed = new Keyring({ type: "ed25519", ss58Format: 42 }).addFromUri("//Alice");
  assertThrows(() => signMessage(ed, "x"), TypeError, "sr25519 only");
});

Deno.test("isHotkeyAddress() accepts only SS58 prefix 42", () => {
  assertEquals(isHotkeyAddress(alice.address), true);
  const polkadot = new Keyring({ type: "sr25519", ss58Format: 0 }).addFromUri("//Alice").address;
  assertEquals(isHotkeyAddress(polkadot), false);
  assertEquals(isHotkeyAddress(alice.address.slice(0, -1) + "x"), false);
});
