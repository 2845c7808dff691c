import { assert, assertEquals, assertMatch, assertThrows } from "../../../tests/assert.ts";
import { SCALE } from "../../fixed_point.ts";
import { MetagraphSnapshotSchema } from "../../schemas/metagraph.ts";
import { createKeyring, cryptoReady } from "../../signature.ts";
import { openLocalChain } from "./local_chain.ts";
import { parseChainCliArgs } from "./cli.ts";

const CLI = new URL("./cli.ts", import.meta.url).pathname;

Deno.test("parseChainCliArgs() reads commands, --netuid and --json", () => {
  assertEquals(parseChainCliArgs(["c.kv", "summary"], {}), {
    kind: "summary",
    kvPath: "c.kv",
    netuid: 46,
    json: false,
  });
  assertEquals(parseChainCliArgs(["c.kv", "metagraph", "--netuid", "3", "--json"], { NETUID: "9" }), {
    kind: "metagraph",
    kvPath: "c.kv",
    netuid: 3,
    json: true,
  });
  assertEquals(parseChainCliArgs(["c.kv", "export-metagraph", "m.json"], { NETUID: "9" }), {
    kind: "export-metagraph",
    kvPath: "c.kv",
    netuid: 9,
    jsonPath: "m.json",
  });
});

Deno.test("parseChainCliArgs() names what is wrong", () => {
  assertThrows(() => parseChainCliArgs([], {}), TypeError, "<kv-path>");
  assertThrows(() => parseChainCliArgs(["c.kv"], {}), TypeError, "<command>");
  assertThrows(() => parseChainCliArgs(["c.kv", "burn"], {}), TypeError, 'Unknown command: "burn"');
  assertThrows(() => parseChainCliArgs(["c.kv", "export-metagraph"], {}), TypeError, "<json-path>");
  assertThrows(() => parseChainCliArgs(["c.kv", "summary", "--netuid", "x"], {}), TypeError, "netuid");
  assertThrows(() => parseChainCliArgs(["c.kv", "summary", "--bogus"], {}), TypeError);
});

async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("the CLI reads a chain another process holds open", async () => {
  await cryptoReady();
  const keyring = createKeyring();
  const [v1, v2, m1] = ["v1", "v2", "m1"].map((name) => keyring.addFromUri(`//local-chain-cli/${name}`));
  const dir = await Deno.makeTempDir({ prefix: "local_chain_cli_test_" });
  const path = `${dir}/chain.kv`;
  // The CLI runs on the real clock, ten blocks after this genesis; this process drives its own clock.
  const genesisMs = Date.now() - 10 * 12_000;
  let nowMs = genesisMs;
  const chain = await openLocalChain({ path, clock: { now: () => new Date(nowMs) }, genesisMs });
  try {
    await chain.createSubnet(5);
    for (const v of [v1, v2]) {
      await chain.registerNeuron(5, {
        hotkey: v.address,
        coldkey: v.address,
        stake: 50,
        validatorPermit: true,
      });
    }
    await chain.registerNeuron(5, {
      hotkey: m1.address,
      coldkey: m1.address,
      axon: { ip: "10.0.0.2", port: 8091 },
    });
    nowMs += 12_000;
    for (const v of [v1, v2]) assert((await chain.setWeights(5, { uids: [2], weights: [1] }, v)).ok);

    const summary = await runCli(path, "summary", "--netuid", "5", "--json");
    assertEquals(summary.code, 0, summary.stderr);
    const parsed = JSON.parse(summary.stdout);
    assertEquals([parsed.netuid, parsed.agreement, parsed.validators.length], [5, SCALE, 2]);

    const text = await runCli(path, "summary", "--netuid", "5");
    assertMatch(text.stdout, /2 active validator\(s\), agreement 1\.000000/);

    const metagraph = await runCli(path, "metagraph", "--netuid", "5");
    assertMatch(metagraph.stdout, /3 neuron\(s\)/);
    assertMatch(metagraph.stdout, /10\.0\.0\.2:8091/);

    const jsonPath = `${dir}/out/metagraph.json`;
    const exported = await runCli(path, "export-metagraph", jsonPath, "--netuid", "5");
    assertEquals(exported.code, 0, exported.stderr);
    const file = MetagraphSnapshotSchema.parse(JSON.parse(await Deno.readTextFile(jsonPath)));
    assertEquals(file.neurons.map((n) => [n.uid, n.hotkey, n.validatorPermit]), [
      [0, v1.address, true],
      [1, v2.address, true],
      [2, m1.address, false],
    ]);
    assertEquals(Object.keys(file.neurons[2]).sort(), [
      "axon",
      "coldkey",
      "hotkey",
      "stake",
      "uid",
      "validatorPermit",
    ]);

    const missing = await runCli(path, "summary", "--netuid", "6");
    assertEquals(missing.code, 1);
    assertMatch(missing.stderr, /SubNetworkDoesNotExist/);
  } finally {
    chain.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the CLI fails on a missing chain file and on bad arguments", async () => {
  const missing = await runCli("/nonexistent/chain.kv", "summary");
  assertEquals(missing.code, 1);
  assertMatch(missing.stderr, /does not exist/);
  const usage = await runCli("chain.kv");
  assertEquals(usage.code, 2);
  assertMatch(usage.stderr, /Usage:/);
});
