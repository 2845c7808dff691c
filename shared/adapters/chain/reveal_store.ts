/**
 * The CRv2 reveals a validator still owes the chain, persisted as one JSON file in its state folder so a
 * restart still reveals: after `commit_weights(hash)` the plaintext (uids, values, salt, version key) is
 * the only way to produce the matching `reveal_weights`, and losing it forfeits that tempo's weights.
 *
 * An entry is written BEFORE the commit is submitted (window unknown, `commitBlock` null) and completed
 * with the chain's reveal window once the commit is in a block; a failed commit removes it. Writes go to a
 * temporary file that is then renamed over the old one, so a crash leaves either version, never half.
 * @module
 */
import { join } from "node:path";
import { z } from "zod";

/** The file name inside the state folder. */
export const REVEALS_FILE = "subtensor_reveals.json";

const u16 = z.number().int().min(0).max(65_535);
const blockNumber = z.number().int().nonnegative();

const PendingRevealSchema = z.object({
  netuid: u16,
  /** SS58 of the committing hotkey: only that hotkey can reveal. */
  hotkey: z.string().min(1),
  /** The committed blake2-256 hash, `0x` + 64 lowercase hex. */
  hash: z.string().regex(/^0x[0-9a-f]{64}$/),
  uids: z.array(u16),
  values: z.array(u16),
  salt: z.array(u16),
  versionKey: z.number().int().nonnegative(),
  /** Block the commit went into; null until the inclusion is known. */
  commitBlock: blockNumber.nullable(),
  /**
   * The chain's reveal window (inclusive) where `WeightCommits` holds reveal blocks (spec < 423); null
   * until known, and for the commit-epoch layout.
   */
  firstRevealBlock: blockNumber.nullable(),
  lastRevealBlock: blockNumber.nullable(),
  /**
   * Where `WeightCommits` holds the commit's epoch (spec >= 423): the `SubnetEpochIndex` value in which
   * the reveal is accepted (`commit_epoch + reveal_period`). Absent for the reveal-blocks layout.
   */
  revealEpoch: blockNumber.nullable().optional(),
  /** The subnet mechanism the weights are for; absent means 0 (the subnet itself). */
  mechanism: z.number().int().min(0).max(15).optional(),
  /** ISO time the entry was created (for logs and the operator). */
  createdAt: z.string(),
});

/** A reveal owed to the chain. */
export type PendingReveal = z.infer<typeof PendingRevealSchema>;

const FileSchema = z.object({ version: z.literal(1), reveals: z.array(PendingRevealSchema) });

/** The persisted list; every change is on disk when the returned promise resolves. */
export interface RevealStore {
  readonly path: string;
  /** The entries in commit order (oldest first). */
  list(): PendingReveal[];
  /** Adds an entry, or replaces the one with the same hotkey and hash. */
  put(reveal: PendingReveal): Promise<void>;
  /** Removes the entry with this hotkey and hash (no-op when absent). */
  remove(hotkey: string, hash: string): Promise<void>;
}

/**
 * Opens (creating the folder if needed) the store in `stateDir`. A file that exists but does not parse
 * is an error, not an empty list: silently dropping owed reveals would lose weights.
 */
export async function openRevealStore(stateDir: string): Promise<RevealStore> {
  await Deno.mkdir(stateDir, { recursive: true });
  const path = join(stateDir, REVEALS_FILE);
  let reveals = await readReveals(path);
  // Writes are chained so two overlapping updates cannot interleave their renames.
  let writing: Promise<void> = Promise.resolve();
  const save = (next: PendingReveal[]): Promise<void> => {
    const run = writing.then(async () => {
      const tmp = `${path}.tmp`;
      await Deno.writeTextFile(tmp, JSON.stringify({ version: 1, reveals: next }, null, 1) + "\n");
      await Deno.rename(tmp, path);
      reveals = next;
    });
    writing = run.catch(() => {});
    return run;
  };
  const order = (list: PendingReveal[]) =>
    [...list].sort((a, b) =>
      (a.commitBlock ?? Number.MAX_SAFE_INTEGER) - (b.commitBlock ?? Number.MAX_SAFE_INTEGER) ||
      a.createdAt.localeCompare(b.createdAt)
    );
  const same = (r: PendingReveal, hotkey: string, hash: string) => r.hotkey === hotkey && r.hash === hash;
  return {
    path,
    list: () => order(reveals).map((r) => structuredClone(r)),
    put(reveal) {
      const checked = PendingRevealSchema.parse(reveal);
      return save(order([...reveals.filter((r) => !same(r, checked.hotkey, checked.hash)), checked]));
    },
    remove(hotkey, hash) {
      if (!reveals.some((r) => same(r, hotkey, hash))) return writing;
      return save(reveals.filter((r) => !same(r, hotkey, hash)));
    },
  };
}

async function readReveals(path: string): Promise<PendingReveal[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`Cannot read reveals file "${path}": ${(error as Error).message}`);
  }
  const parsed = FileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SyntaxError(`Cannot read reveals file "${path}": ${issue?.path.join(".")} ${issue?.message}`);
  }
  return parsed.data.reveals;
}
