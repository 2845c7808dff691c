/**
 * `METAGRAPH_SOURCE=file:<path>`: a JSON metagraph snapshot on disk (what localnet and tests use, and what
 * an operator can export from the chain). The file is re-read on every refresh, so edits take effect at the
 * next refresh; an unreadable or invalid file keeps the previous snapshot until it goes stale.
 * @module
 */
import type { MetagraphSource } from "../../shared/ports.ts";
import { MetagraphSnapshotSchema } from "../../shared/schemas/metagraph.ts";

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

/**
 * Builds the source named by METAGRAPH_SOURCE. `chain:<wss-url>` needs the subtensor chain adapter, which
 * is not part of this build yet; asking for it fails at start rather than running without a metagraph.
 */
export function metagraphSourceFromConfig(value: string): MetagraphSource {
  if (value.startsWith("file:")) return createFileMetagraphSource(value.slice("file:".length));
  throw new RangeError(
    `METAGRAPH_SOURCE=${value} is not available yet: the chain adapter is not built; use file:<path>`,
  );
}
