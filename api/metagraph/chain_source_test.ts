import { assertEquals, assertRejects } from "../../tests/assert.ts";
import { createLogger } from "../../shared/log.ts";
import { createRegistry } from "../../shared/metrics.ts";
import type { ChainAdapter } from "../../shared/ports.ts";
import type { MetagraphSnapshot } from "../../shared/schemas/metagraph.ts";
import { createKeyring, cryptoReady } from "../../shared/signature.ts";
import {
  openSubtensorChain,
  type SubtensorChainOptions,
  type SubtensorProvider,
} from "../../shared/adapters/chain/subtensor_chain.ts";
import { MemorySubtensorProvider, setRuntimeAnswer } from "../../shared/testing/subtensor_memory_provider.ts";
import { createChainMetagraphSource, openChainMetagraphSource } from "./chain_source.ts";
import { readSpec393Metadata } from "../../tests/fixtures/chain/spec393.ts";

await cryptoReady();
const keyring = createKeyring();
const hotkey = keyring.addFromUri("//zipmine/chain-source/validator").address;
const coldkey = keyring.addFromUri("//zipmine/chain-source/coldkey").address;
const NOW = new Date("2026-03-01T00:00:00Z");
const deps = {
  clock: { now: () => NOW },
  log: createLogger({ sink: () => {}, clock: { now: () => NOW } }),
  metrics: createRegistry(),
};

function fakeAdapter(snapshot: unknown): ChainAdapter {
  return {
    description: "fake:chain",
    currentBlock: () => Promise.resolve(1),
    metagraph: () => Promise.resolve(snapshot as MetagraphSnapshot),
    hyperparameters: () => Promise.reject(new Error("unused")),
    ownerHotkey: () => Promise.resolve(null),
    setWeights: () => Promise.reject(new Error("unused")),
  };
}

Deno.test("createChainMetagraphSource() checks the adapter's snapshot against the schema", async () => {
  const neuron = { uid: 0, hotkey, coldkey, stake: 1.5, validatorPermit: true, axon: null, lastUpdate: 9 };
  const source = createChainMetagraphSource(fakeAdapter({ netuid: 46, block: 10, neurons: [neuron] }), 46);
  assertEquals(source.description, "fake:chain");
  const { lastUpdate: _, ...schemaFields } = neuron;
  assertEquals(await source.load(), { netuid: 46, block: 10, neurons: [schemaFields] });
  const bad = createChainMetagraphSource(
    fakeAdapter({ netuid: 46, block: 10, neurons: [{ ...neuron, stake: -1 }] }),
    46,
  );
  await assertRejects(() => bad.load());
});

Deno.test("openChainMetagraphSource() connects on first load and retries a failed connection", async () => {
  let opened = 0;
  const failing = openChainMetagraphSource({
    endpoint: "wss://example.invalid:443",
    netuid: 46,
    ...deps,
    open: () => {
      opened++;
      return Promise.reject(new Error("Cannot connect to subtensor at wss://example.invalid:443: refused"));
    },
  });
  assertEquals(failing.description, "chain:wss://example.invalid:443");
  assertEquals(opened, 0);
  await assertRejects(() => failing.load(), Error, "Cannot connect");
  await assertRejects(() => failing.load(), Error, "Cannot connect");
  assertEquals(opened, 2);
  await failing.close();
});

const metadata = await readSpec393Metadata();

Deno.test({
  name: "openChainMetagraphSource() loads the metagraph through the subtensor adapter",
  async fn() {
    const provider = new MemorySubtensorProvider({ metadata, block: 500 });
    let opened = 0;
    const source = openChainMetagraphSource({
      endpoint: "finney",
      netuid: 46,
      ...deps,
      open: async (options: SubtensorChainOptions) => {
        opened++;
        const chain = await openSubtensorChain({
          ...options,
          provider: provider as unknown as SubtensorProvider,
        });
        setRuntimeAnswer(provider, chain.api, "NeuronInfoRuntimeApi", "get_neurons_lite", () => [{
          hotkey,
          coldkey,
          uid: 0,
          netuid: 46,
          active: true,
          axonInfo: { block: 1, version: 1, ip: 0x0a000001n, port: 8091, ipType: 4, protocol: 4 },
          prometheusInfo: {},
          stake: [[coldkey, 20_000_000_000_000n]],
          validatorPermit: true,
          lastUpdate: 400,
        }]);
        return chain;
      },
    });
    try {
      const expected = {
        netuid: 46,
        block: 500,
        neurons: [{
          uid: 0,
          hotkey,
          coldkey,
          stake: 20_000,
          validatorPermit: true,
          axon: { ip: "10.0.0.1", port: 8091 },
        }],
      };
      assertEquals(await source.load(), expected);
      assertEquals(await source.load(), expected);
      assertEquals(opened, 1);
    } finally {
      await source.close();
    }
  },
});
