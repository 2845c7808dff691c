import { assertEquals, assertRejects, assertThrows } from "../../../tests/assert.ts";
import { hotkeyFilePath, loadColdkeyAddress, loadHotkey, WalletError } from "./wallet.ts";
import { createKeyring, cryptoReady } from "../../signature.ts";
import { mnemonicGenerate } from "@polkadot/util-crypto";

await cryptoReady();
const SEED = "0xe5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a";
const ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

async function withHome(files: Record<string, string>, fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "zipmine-wallet-" });
  try {
    for (const [rel, text] of Object.entries(files)) {
      const path = `${home}/.bittensor/wallets/${rel}`;
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(path, text);
    }
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("loadHotkey() reads a btcli hotkey file with secretSeed from ~/.bittensor/wallets", async () => {
  const file = JSON.stringify({ secretSeed: SEED, ss58Address: ALICE, accountId: "0x00", publicKey: "0x00" });
  await withHome({ "miner/hotkeys/default": file }, async (home) => {
    const pair = await loadHotkey({ wallet: "miner", hotkey: "default", home });
    assertEquals(pair.address, ALICE);
    assertEquals(pair.type, "sr25519");
  });
});

Deno.test("loadHotkey() reads a secretPhrase file and honours --wallet.path", async () => {
  const phrase = mnemonicGenerate(12);
  const address = createKeyring().addFromMnemonic(phrase).address;
  await withHome(
    { "v/hotkeys/hk1": JSON.stringify({ secretPhrase: phrase, ss58Address: address }) },
    async (home) => {
      const pair = await loadHotkey({ wallet: "v", hotkey: "hk1", path: `${home}/.bittensor/wallets` });
      assertEquals(pair.address, address);
    },
  );
});

Deno.test("loadHotkey() explains a missing, encrypted, malformed or mismatched file", async () => {
  await withHome({
    "w/hotkeys/enc": "$NACLabcdef",
    "w/hotkeys/bad": "{not json",
    "w/hotkeys/empty": JSON.stringify({ ss58Address: ALICE }),
    "w/hotkeys/other": JSON.stringify({
      secretSeed: SEED,
      ss58Address: "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
    }),
  }, async (home) => {
    await assertRejects(
      () => loadHotkey({ wallet: "w", hotkey: "nope", home }),
      WalletError,
      "Hotkey file not found",
    );
    await assertRejects(() => loadHotkey({ wallet: "w", hotkey: "enc", home }), WalletError, "encrypted");
    await assertRejects(
      () => loadHotkey({ wallet: "w", hotkey: "bad", home }),
      WalletError,
      "not valid JSON",
    );
    await assertRejects(
      () => loadHotkey({ wallet: "w", hotkey: "empty", home }),
      WalletError,
      "no usable secretSeed",
    );
    await assertRejects(
      () => loadHotkey({ wallet: "w", hotkey: "other", home }),
      WalletError,
      "but its ss58Address is",
    );
  });
});

Deno.test("hotkeyFilePath() refuses names that would leave the wallet folder", () => {
  assertThrows(() => hotkeyFilePath({ wallet: "..", hotkey: "x", home: "/h" }), RangeError);
  assertThrows(() => hotkeyFilePath({ wallet: "w", hotkey: "../../etc/passwd", home: "/h" }), RangeError);
  assertEquals(hotkeyFilePath({ wallet: "w", hotkey: "h", home: "/h" }), "/h/.bittensor/wallets/w/hotkeys/h");
});

Deno.test("loadColdkeyAddress() reads coldkeypub.txt and is null without one", async () => {
  await withHome(
    { "w/coldkeypub.txt": JSON.stringify({ ss58Address: ALICE }), "w/hotkeys/h": "{}" },
    async (home) => {
      assertEquals(await loadColdkeyAddress({ wallet: "w", hotkey: "h", home }), ALICE);
      assertEquals(await loadColdkeyAddress({ wallet: "other", hotkey: "h", home }), null);
    },
  );
});
