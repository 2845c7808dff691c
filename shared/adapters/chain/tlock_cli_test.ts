import { assertEquals, assertMatch, assertThrows } from "../../../tests/assert.ts";
import { createKeyring, cryptoReady } from "../../signature.ts";
import { beaconPublicKey, bytesToHex, signRound } from "../../chain/tlock/mod.ts";
import { runTlockCli } from "./tlock_cli.ts";

const rng = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const SECRET = new Uint8Array(32).fill(3);
const PK = bytesToHex(beaconPublicKey(SECRET));

Deno.test("chain:tlock encrypt then decrypt gives back the plaintext; another round's pulse does not", () => {
  const ct = runTlockCli(["encrypt", "--round", "55", "--hex", "deadbeef", "--pubkey", PK], rng);
  assertMatch(ct, /^[0-9a-f]+$/);
  const sig = bytesToHex(signRound(SECRET, 55n).signature);
  assertEquals(runTlockCli(["decrypt", "--signature", sig, "--hex", ct], rng), "deadbeef");
  const wrong = bytesToHex(signRound(SECRET, 56n).signature);
  assertThrows(
    () => runTlockCli(["decrypt", "--signature", wrong, "--hex", ct], rng),
    Error,
    "does not open",
  );
});

Deno.test("chain:tlock encrypt defaults to the quicknet key (opens with quicknet's round-1000 pulse)", () => {
  const ct = runTlockCli(["encrypt", "--round", "1000", "--hex", "00ff"], rng);
  const sig =
    "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";
  assertEquals(runTlockCli(["decrypt", "--signature", sig, "--hex", ct], rng), "00ff");
});

Deno.test("chain:tlock payload prints the SCALE WeightsTlockPayload and decrypt --payload reads it back", async () => {
  await cryptoReady();
  const alice = createKeyring().addFromUri("//Alice");
  const hex = runTlockCli(
    ["payload", "--hotkey", alice.address, "--uids", "1,2", "--values", "3,4", "--version-key", "9"],
    rng,
  );
  assertEquals(hex, `80${bytesToHex(alice.publicKey)}08010002000803000400` + "0900000000000000");
  const ct = runTlockCli(["encrypt", "--round", "7", "--hex", hex, "--pubkey", PK], rng);
  const sig = bytesToHex(signRound(SECRET, 7n).signature);
  const out = JSON.parse(runTlockCli(["decrypt", "--signature", sig, "--hex", ct, "--payload"], rng));
  assertEquals(out, { hotkey: alice.address, uids: [1, 2], values: [3, 4], versionKey: "9" });
});

Deno.test("chain:tlock refuses bad input with a reason", () => {
  const run = (...a: string[]) => () => runTlockCli(a, rng);
  assertThrows(run("encrypt", "--hex", "00"), TypeError, "Missing --round");
  assertThrows(run("encrypt", "--round=-1", "--hex", "00"), TypeError, "not a u64");
  assertThrows(run("encrypt", "--round", "1", "--hex", "0g"), Error, "not hex");
  assertThrows(
    run("payload", "--hotkey", "nope", "--uids", "1", "--values", "1", "--version-key", "0"),
    TypeError,
    "SS58",
  );
  assertThrows(
    run("payload", "--hotkey", "x", "--uids", "1,70000", "--values", "1,2", "--version-key", "0"),
    TypeError,
    "u16",
  );
  assertThrows(run("frobnicate"), TypeError, "Unknown command");
});

Deno.test("the task runs as a program: hex on stdout, exit 2 with usage on error", async () => {
  const cli = new URL("./tlock_cli.ts", import.meta.url).pathname;
  const ok = await new Deno.Command("deno", {
    args: ["run", "-A", cli, "encrypt", "--round", "3", "--hex", "01"],
  })
    .output();
  assertEquals(ok.code, 0);
  assertMatch(new TextDecoder().decode(ok.stdout).trim(), /^[0-9a-f]{300,}$/);
  const bad = await new Deno.Command("deno", { args: ["run", "-A", cli, "decrypt"] }).output();
  assertEquals(bad.code, 2);
  assertMatch(new TextDecoder().decode(bad.stderr), /Missing --hex[\s\S]*Usage/);
});
