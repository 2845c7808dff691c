/**
 * `METAGRAPH_SOURCE=file:<path>`: a JSON metagraph snapshot on disk (what localnet and tests use, and what
 * an operator can export from the chain). The file is re-read on every refresh, so edits take effect at the
 * next refresh; an unreadable or invalid file keeps the previous snapshot until it goes stale. The `chain:`
 * source reads the metagraph from subtensor through the chain adapter (`chain_source.ts`).
 * @module
 */
import type { MetagraphSource } from "../../shared/ports.ts";
import { MetagraphSnapshotSchema } from "../../shared/schemas/metagraph.ts";
import type { Logger } from "../../shared/log.ts";
import type { Registry } from "../../shared/metrics.ts";
import { openChainMetagraphSource } from "./chain_source.ts";
import type { Clock } from "../../shared/ports.ts";

/** A metagraph source reading `path`. */
export function createFileMetagraphSource(path: string): MetagraphSource {
  return {
    description: `file:${path}`,
    async load() {
      const text = await Deno.readTextFile(path);
      return MetagraphSnapshotSchema.parse(JSON.parse(text));
    },
  };
}

/** What a `chain:` source needs besides its URL. */
export interface MetagraphSourceDeps {
  netuid: number;
  clock: Clock;
  log: Logger;
  metrics: Registry;
}

/** Builds the source named by METAGRAPH_SOURCE: `file:<path>` or `chain:<ws(s)-url | finney | test>`. */
export function metagraphSourceFromConfig(value: string, deps: MetagraphSourceDeps): MetagraphSource {
  if (value.startsWith("file:")) return createFileMetagraphSource(value.slice("file:".length));
  if (value.startsWith("chain:")) {
    return openChainMetagraphSource({ endpoint: value.slice("chain:".length), ...deps });
  }
  throw new RangeError(`METAGRAPH_SOURCE=${value} is invalid: use file:<path> or chain:<ws(s)-url>`);
}
