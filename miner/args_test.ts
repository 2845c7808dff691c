import { assertEquals, assertThrows } from "../tests/assert.ts";
import { parseMinerArgs, usage, UsageError } from "./args.ts";

Deno.test("parseMinerArgs() maps btcli-style flags to knobs", () => {
  assertEquals(
    parseMinerArgs(["--wallet.name", "miner", "--wallet.hotkey=hk1", "--proxy-file", "p.txt", "--once"]),
    {
      kind: "run",
      env: { WALLET_NAME: "miner", WALLET_HOTKEY: "hk1", PROXY_FILE: "p.txt" },
      once: true,
    },
  );
  assertEquals(parseMinerArgs(["--help"]), { kind: "help" });
});

Deno.test("parseMinerArgs() refuses unknown flags and missing values", () => {
  assertThrows(() => parseMinerArgs(["--wallet"]), UsageError, "Unknown flag");
  assertThrows(() => parseMinerArgs(["--wallet.name"]), UsageError, "needs a value");
  assertThrows(() => parseMinerArgs(["--wallet.name", "--once"]), UsageError, "needs a value");
});

Deno.test("usage() documents every flag with its knob", () => {
  const text = usage();
  for (const flag of ["--wallet.name", "--wallet.hotkey", "--wallet.path", "--proxy-file", "--once"]) {
    assertEquals(text.includes(flag), true, flag);
  }
});
