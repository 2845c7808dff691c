/**
 * The validator's durable state for one judged epoch, under `VALIDATOR_STATE_DIR/epochs/{epochId}/`:
 * `facts.json` (assignment, seed, receipts, miners), `findings/{hotkey}.json` (one miner's integrity and
 * data checks), `evidence.json` (own spot checks), `report.json` (the finalised report) and
 * `published.json`. Each phase reads what the earlier ones stored, so a restarted validator resumes where
 * it stopped and a finalised epoch is never judged again (the same report is re-published if needed).
 * @module
 */
import { join } from "node:path";
import { readJsonOrNull, writeJsonAtomic } from "../shared/adapters/node/json_file.ts";

/** The state of one judged epoch. */
export function openJudgeState(root: string, epochId: string) {
  const dir = join(root, "epochs", epochId);
  const file = (name: string) => join(dir, name);
  return {
    dir,
    downloads: join(dir, "downloads"),
    read: <T>(name: string) => readJsonOrNull<T>(file(name)),
    write: (name: string, value: unknown) => writeJsonAtomic(file(name), value),
    findingsName: (hotkey: string) => join("findings", `${hotkey}.json`),
  };
}

/** The state's type. */
export type JudgeState = ReturnType<typeof openJudgeState>;
