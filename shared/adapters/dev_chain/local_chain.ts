/**
 * The local chain of localnet and tests: a `ChainAdapter` on a Deno KV file, so several processes (two
 * validators, the localnet driver, the API's metagraph export) share one chain. Blocks come from the
 * injected clock (genesis + `blockSeconds` per block); admin functions stand in for registration and
 * staking; `setWeights` applies subtensor's checks with its error names (weight_rules.ts).
 *
 * Emulated rules, and where they differ from subtensor:
 * - `setWeights` with commit-reveal off: the `do_set_weights` checks and order; stores the max-upscaled
 *   vector with its block and sets last_update. A set in block 0 counts as an update (the chain reads a
 *   last_update of 0 as "never").
 * - `setWeights` with commit-reveal on takes the SDK's CRv4 path: the weights are timelock-encrypted to a
 *   round of the chain's own beacon (`beacon.ts`, its BLS key kept in the chain file) and sent as
 *   `commitTimelockedWeights` (rate limit `CommittingWeightsTooFast`, at most 10 unrevealed per epoch,
 *   version 4, round not in the past; sets last_update); the chain decrypts them with the beacon's pulse
 *   in the reveal epoch and applies them after the set checks (`local/timelocked.ts`).
 * - `commitWeights`/`revealWeights` are CRv2: a blake2 hash commit, then a reveal accepted only in the
 *   reveal epoch (`RevealTooEarly`, `ExpiredWeightCommit`, `InvalidRevealCommitHashNotMatch`,
 *   `NoWeightsCommitFound`, `CommitRevealDisabled`, `TooManyUnrevealedCommits`).
 * - Epochs use the legacy formula (block + netuid + 1) / (tempo + 1); no epoch runs, no emission.
 * - Validator permits and stake are set by the admin functions, not computed from top-k stake.
 * - A call's "signature" is an sr25519 signature by `signer` over the call, checked before anything
 *   else (`BadProof`); there is no nonce, fee or transaction pool.
 * The parts live in `local/`: `types.ts` (shapes and records), `kv.ts` (keys, transactions),
 * `store.ts` (reads and bookkeeping), `weights.ts` (weight calls), `admin.ts` (registration, stake,
 * hyperparameters).
 * @module
 */
import { dirname } from "node:path";
import { cryptoReady } from "../../signature.ts";
import { yumaSummary } from "./yuma.ts";
import { keys, retry } from "./local/kv.ts";
import { createStore } from "./local/store.ts";
import { createWeightCalls } from "./local/weights.ts";
import { createAdmin } from "./local/admin.ts";
import type { ChainMeta, LocalChain, LocalChainOptions } from "./local/types.ts";
import { createLocalBeacon, type LocalBeacon, type LocalBeaconConfig, newBeaconConfig } from "./beacon.ts";
import { bytesToHex } from "../../chain/tlock/mod.ts";

export {
  type Axon,
  type CreateSubnetInput,
  DEFAULT_HYPERPARAMETERS,
  type LocalBeaconInfo,
  type LocalChain,
  type LocalChainOptions,
  type LocalHyperparameters,
  type LocalMetagraph,
  type LocalNeuron,
  type LocalWeights,
  type RegisterNeuronInput,
  type WeightsReveal,
} from "./local/types.ts";

const DEFAULT_BLOCK_SECONDS = 12;

/** The KV path of a `CHAIN_ENDPOINT` naming the local chain (`local:<path>`), else null. */
export function localChainPath(endpoint: string): string | null {
  return endpoint.startsWith("local:") ? endpoint.slice("local:".length) : null;
}

/** Opens (creating if needed) the local chain in `path`. */
export async function openLocalChain(options: LocalChainOptions): Promise<LocalChain> {
  if (options.blockSeconds !== undefined && !(options.blockSeconds > 0)) {
    throw new RangeError(`Cannot open local chain: block seconds "${options.blockSeconds}" must be positive`);
  }
  const versionKey = options.versionKey ?? 0;
  if (!Number.isSafeInteger(versionKey) || versionKey < 0) {
    throw new RangeError(`Cannot open local chain: version key "${versionKey}" is not a u64`);
  }
  await cryptoReady();
  if (options.path !== ":memory:") await Deno.mkdir(dirname(options.path), { recursive: true });
  const kv = await Deno.openKv(options.path);
  try {
    const meta = await initMeta(kv, options);
    const beacon = createLocalBeacon(await initBeacon(kv, meta), options.clock);
    return createLocalChain(kv, meta, options, versionKey, beacon);
  } catch (error) {
    kv.close();
    throw error;
  }
}

async function initMeta(kv: Deno.Kv, options: LocalChainOptions): Promise<ChainMeta> {
  const wanted: ChainMeta = {
    genesisMs: options.genesisMs ?? options.clock.now().getTime(),
    blockSeconds: options.blockSeconds ?? DEFAULT_BLOCK_SECONDS,
  };
  const created = await retry(() =>
    kv.atomic().check({ key: keys.meta(), versionstamp: null }).set(keys.meta(), wanted).commit()
  );
  if (created.ok) return wanted;
  const meta = (await retry(() => kv.get<ChainMeta>(keys.meta()))).value!;
  for (const field of ["genesisMs", "blockSeconds"] as const) {
    if (options[field] !== undefined && options[field] !== meta[field]) {
      throw new RangeError(
        `Cannot open local chain "${options.path}": it has ${field} "${meta[field]}", not "${
          options[field]
        }"`,
      );
    }
  }
  return meta;
}

// The chain's beacon key: made once with the chain file (kept apart from the meta that older files lack).
async function initBeacon(kv: Deno.Kv, meta: ChainMeta): Promise<LocalBeaconConfig> {
  const fresh = newBeaconConfig((n) => crypto.getRandomValues(new Uint8Array(n)), meta.genesisMs);
  await retry(() =>
    kv.atomic().check({ key: keys.beacon(), versionstamp: null }).set(keys.beacon(), fresh).commit()
  );
  return (await retry(() => kv.get<LocalBeaconConfig>(keys.beacon()))).value!;
}

function createLocalChain(
  kv: Deno.Kv,
  meta: ChainMeta,
  options: LocalChainOptions,
  versionKey: number,
  beacon: LocalBeacon,
): LocalChain {
  const store = createStore(kv, meta, options, beacon);
  const { currentBlock, requireSubnet, readNeurons, readWeights } = store;
  return {
    description: `local:${options.path}`,
    genesisMs: meta.genesisMs,
    blockSeconds: meta.blockSeconds,
    currentBlock: () => Promise.resolve(currentBlock()),
    metagraph: (netuid) => store.readMetagraph(netuid, currentBlock()),
    async hyperparameters(netuid) {
      return { ...(await requireSubnet(netuid)).value.params };
    },
    async ownerHotkey(netuid) {
      return (await requireSubnet(netuid)).value.ownerHotkey;
    },
    ...createWeightCalls(kv, store, versionKey),
    ...createAdmin(kv, store),
    beacon: () => ({
      publicKey: bytesToHex(beacon.info.publicKey),
      genesisTime: beacon.info.genesisTime,
      period: beacon.info.period,
      lastRound: beacon.lastRound().toString(),
    }),
    async weights(netuid) {
      await requireSubnet(netuid);
      return await readWeights(netuid, currentBlock());
    },
    async consensus(netuid) {
      const block = currentBlock();
      const subnet = await requireSubnet(netuid);
      const [neurons, weights] = await Promise.all([readNeurons(netuid), readWeights(netuid, block)]);
      const { params, ownerHotkey } = subnet.value;
      return yumaSummary({
        block,
        neurons,
        weights,
        kappa: params.kappa,
        activityCutoff: params.activityCutoff,
        stakeThreshold: params.stakeThreshold,
        ownerUid: neurons.find((n) => n.hotkey === ownerHotkey)?.uid ?? null,
      });
    },
    close: () => kv.close(),
  };
}
