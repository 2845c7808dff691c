/**
 * Inspects a local chain file: the consensus summary and the metagraph (localnet prints both), and exports
 * the metagraph JSON the API reads with `METAGRAPH_SOURCE=file:<json-path>`.
 *
 *   deno run -A shared/adapters/dev_chain/cli.ts <kv-path> summary|metagraph [--netuid N] [--json]
 *   deno run -A shared/adapters/dev_chain/cli.ts <kv-path> export-metagraph <json-path> [--netuid N]
 *
 * `--netuid` defaults to the NETUID knob.
 * @module
 */
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { NETWORK_KNOBS } from "../../config.ts";
import { formatFixed, ratio } from "../../fixed_point.ts";
import { type MetagraphSnapshot, MetagraphSnapshotSchema } from "../../schemas/metagraph.ts";
import { type LocalChain, type LocalMetagraph, type LocalWeights, openLocalChain } from "./local_chain.ts";
import type { YumaSummary } from "./yuma.ts";
import { U16_MAX } from "../../chain/weight_rules.ts";

/** What the command line asks for. */
export type ChainCliCommand =
  | { kind: "summary" | "metagraph"; kvPath: string; netuid: number; json: boolean }
  | { kind: "export-metagraph"; kvPath: string; netuid: number; jsonPath: string };

/** The usage text, printed on bad arguments. */
export const USAGE = `Usage:
  local_chain_cli.ts <kv-path> summary|metagraph [--netuid N] [--json]
  local_chain_cli.ts <kv-path> export-metagraph <json-path> [--netuid N]`;

/** Parses argv (no I/O); `env` supplies the NETUID default. Throws a TypeError naming the problem. */
export function parseChainCliArgs(args: string[], env: Record<string, string | undefined>): ChainCliCommand {
  const { values, positionals } = parseArgs({
    args,
    options: { netuid: { type: "string" }, json: { type: "boolean", default: false } },
    allowPositionals: true,
    strict: true,
  });
  const [kvPath, kind, jsonPath, ...extra] = positionals;
  const netuid = NETWORK_KNOBS.NETUID.schema.safeParse(
    values.netuid ?? env.NETUID ?? NETWORK_KNOBS.NETUID.default,
  );
  if (!netuid.success) throw new TypeError(`Invalid netuid: "${values.netuid ?? env.NETUID}" is not a u16`);
  if (!kvPath) throw new TypeError("Missing argument: <kv-path>");
  if (kind === "summary" || kind === "metagraph") {
    if (jsonPath !== undefined) throw new TypeError(`Unexpected argument: "${jsonPath}"`);
    return { kind, kvPath, netuid: netuid.data, json: values.json };
  }
  if (kind === "export-metagraph") {
    if (!jsonPath) throw new TypeError("Missing argument: <json-path>");
    if (extra.length > 0) throw new TypeError(`Unexpected argument: "${extra[0]}"`);
    return { kind, kvPath, netuid: netuid.data, jsonPath };
  }
  throw new TypeError(kind ? `Unknown command: "${kind}"` : "Missing argument: <command>");
}

/** The metagraph as the API's file source reads it (schema fields only). */
export function toMetagraphFile(metagraph: LocalMetagraph): MetagraphSnapshot {
  return MetagraphSnapshotSchema.parse(metagraph);
}

/**
 * Writes the metagraph JSON for `METAGRAPH_SOURCE=file:<path>`, through a temporary file and a rename so
 * the API never reads half a file. Returns the snapshot written.
 */
export async function exportMetagraph(
  chain: LocalChain,
  netuid: number,
  path: string,
): Promise<MetagraphSnapshot> {
  const snapshot = toMetagraphFile(await chain.metagraph(netuid));
  await Deno.mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.tmp`;
  await Deno.writeTextFile(temporary, `${JSON.stringify(snapshot, null, 2)}\n`);
  await Deno.rename(temporary, path);
  return snapshot;
}

/** The summary as text: validators, miners with any consensus or incentive, and pair agreements. */
export function renderSummary(
  netuid: number,
  summary: YumaSummary,
  metagraph: LocalMetagraph,
  weights: LocalWeights[],
): string {
  const hotkeys = new Map(metagraph.neurons.map((n) => [n.uid, n.hotkey.slice(0, 8)]));
  const stakes = new Map(metagraph.neurons.map((n) => [n.uid, n.stake]));
  const setAt = new Map(weights.map((w) => [w.uid, w.block]));
  const agreement = summary.agreement === null ? "none" : formatFixed(summary.agreement);
  const validators = summary.validators.map((v) => [
    v.uid,
    hotkeys.get(v.uid),
    stakes.get(v.uid),
    formatFixed(v.stakeShare),
    formatFixed(v.vtrust),
    formatFixed(v.dividend),
    setAt.get(v.uid),
  ]);
  const miners = summary.miners.filter((m) => m.consensus > 0 || m.incentive > 0)
    .map((m) => [m.uid, hotkeys.get(m.uid), formatFixed(m.consensus), formatFixed(m.incentive)]);
  const lines = [
    `netuid ${netuid} at block ${summary.block}: kappa ${formatFixed(ratio(summary.kappa, U16_MAX))}, ` +
    `${summary.validators.length} active validator(s), agreement ${agreement}`,
    "validators",
    ...table(["uid", "hotkey", "stake", "share", "vtrust", "dividend", "weights at"], validators),
    "miners",
    ...table(["uid", "hotkey", "consensus", "incentive"], miners),
  ];
  if (summary.pairs.length > 0) {
    const pairs = summary.pairs.map((p) => [p.a, p.b, formatFixed(p.agreement)]);
    lines.push("validator pairs", ...table(["a", "b", "agreement"], pairs));
  }
  return lines.join("\n");
}

/** The metagraph as text, one neuron a line. */
export function renderMetagraph(metagraph: LocalMetagraph): string {
  const neurons = metagraph.neurons.map((n) => [
    n.uid,
    n.hotkey,
    n.coldkey.slice(0, 8),
    n.stake,
    n.validatorPermit ? "yes" : "no",
    n.axon ? `${n.axon.ip}:${n.axon.port}` : "-",
    n.lastUpdate === 0 ? "never" : n.lastUpdate,
    n.registeredBlock,
  ]);
  return [
    `netuid ${metagraph.netuid} at block ${metagraph.block}: ${metagraph.neurons.length} neuron(s), ` +
    `owner ${metagraph.ownerHotkey ?? "none"}`,
    ...table(["uid", "hotkey", "coldkey", "stake", "permit", "axon", "last update", "registered"], neurons),
  ].join("\n");
}

// Indented rows with each column as wide as its widest cell; missing cells print as "-".
function table(header: string[], rows: unknown[][]): string[] {
  const cells = [header, ...rows].map((r) => r.map((c) => String(c ?? "-")));
  const widths = header.map((_, j) => Math.max(...cells.map((r) => r[j].length)));
  return cells.map((r) => "  " + r.map((c, j) => c.padEnd(widths[j])).join("  ").trimEnd());
}

async function main(args: string[]): Promise<number> {
  let command: ChainCliCommand;
  try {
    command = parseChainCliArgs(args, Deno.env.toObject());
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  try {
    await Deno.stat(command.kvPath);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    console.error(`Cannot open local chain: "${command.kvPath}" does not exist`);
    return 1;
  }
  const chain = await openLocalChain({ path: command.kvPath, clock: { now: () => new Date() } });
  try {
    if (command.kind === "export-metagraph") {
      const snapshot = await exportMetagraph(chain, command.netuid, command.jsonPath);
      console.log(
        `Wrote ${snapshot.neurons.length} neuron(s) at block ${snapshot.block} to ${command.jsonPath}`,
      );
    } else if (command.kind === "metagraph") {
      const metagraph = await chain.metagraph(command.netuid);
      console.log(command.json ? JSON.stringify(metagraph, null, 2) : renderMetagraph(metagraph));
    } else {
      const [summary, metagraph, weights] = await Promise.all([
        chain.consensus(command.netuid),
        chain.metagraph(command.netuid),
        chain.weights(command.netuid),
      ]);
      console.log(
        command.json
          ? JSON.stringify({ netuid: command.netuid, ...summary }, null, 2)
          : renderSummary(command.netuid, summary, metagraph, weights),
      );
    }
    return 0;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    console.error(error.message);
    return 1;
  } finally {
    chain.close();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
