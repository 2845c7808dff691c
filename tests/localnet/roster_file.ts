/**
 * The roster file of `deno task localnet --roster <file>`: JSON with `//` and `/* *\/` comments (JSONC),
 * one zod schema, clear errors. Each entry is a miner or validator, either a built-in strategy (run as
 * `miner/main.ts` or `validator/main.ts` with MINER_STRATEGY / VALIDATOR_STRATEGY) or an external command
 * (`command`: program and arguments, run from the repository root) that gets the same environment. Each
 * entry says what `--check` expects of it (`expect`); see README, Quick start, for the format.
 * @module
 */
import { z } from "zod";
import { MINER_STRATEGIES, type MinerStrategy } from "../../miner/strategies.ts";
import { VALIDATOR_STRATEGIES } from "../../validator/strategies.ts";
import { API_KNOBS } from "../../api/config.ts";

/** Localnet's API runs the default VALIDATOR_MIN_STAKE and refuses validators below it. */
const MIN_STAKE = Number(API_KNOBS.VALIDATOR_MIN_STAKE.default);

/**
 * What `--check` expects of a miner: `honest` scores above 0 and above every `zero`, `below` and `copy`
 * miner; `zero` (a liar) scores exactly 0; `below` (honest but incomplete) may score, below every honest
 * miner; `copy` (one of a sybil group) may score only as the group's one ranked member; `any`: unchecked.
 */
export const MinerExpectSchema = z.enum(["honest", "zero", "below", "copy", "any"]);
export type MinerExpect = z.infer<typeof MinerExpectSchema>;

/** What `--check` expects of a validator: `agree` counts in the >= 99 % weight agreement; `any` does not. */
export const ValidatorExpectSchema = z.enum(["agree", "any"]);

const NameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, {
  error: "expected 1-40 lowercase letters, digits and dashes (it names the wallet, state folder and log)",
});
const EnvSchema = z.record(
  z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: "expected an env name" }),
  z.string(),
);
const CommandSchema = z.array(z.string().min(1)).min(1, { error: "expected [program, ...arguments]" });

const exactlyOne = {
  error: 'expected either "strategy" (a built-in) or "command" (an external program), not both',
};

/** A miner entry: `strategy` (built-in) or `command` (external), not both. */
export const RosterMinerSchema = z.strictObject({
  name: NameSchema,
  strategy: z.enum(MINER_STRATEGIES).optional(),
  command: CommandSchema.optional(),
  /** Label in the summary (default: the name with `_` for `-`). */
  label: z.string().min(1).max(24).optional(),
  /** REQUESTS_PER_MINUTE (default 6000). */
  requestsPerMinute: z.number().int().min(1).max(100_000).optional(),
  /** Extra or overriding environment (e.g. UPLOAD_EARLY, FETCH_CONCURRENCY). */
  env: EnvSchema.optional(),
  expect: MinerExpectSchema.optional(),
}).refine((m) => (m.strategy === undefined) !== (m.command === undefined), exactlyOne);

/** A validator entry: `strategy` (built-in) or `command` (external), not both. */
export const RosterValidatorSchema = z.strictObject({
  name: NameSchema,
  strategy: z.enum(VALIDATOR_STRATEGIES).optional(),
  command: CommandSchema.optional(),
  /** Spot checks through the market copy that blocks 60 % of requests. */
  unlucky: z.boolean().optional(),
  stake: z.number().int().min(MIN_STAKE, {
    error:
      `expected at least ${MIN_STAKE} (the API's VALIDATOR_MIN_STAKE; below it the validator cannot judge)`,
  }).max(1_000_000_000).optional(),
  env: EnvSchema.optional(),
  expect: ValidatorExpectSchema.optional(),
}).refine((v) => (v.strategy === undefined) !== (v.command === undefined), exactlyOne);

/** Process names localnet uses itself; a validator runs under its own name, so it may not take these. */
const RESERVED = new Set(["api", "market", "market-hostile", "s3-fauxqs", "owner"]);

/** The whole file. */
export const RosterFileSchema = z.strictObject({
  description: z.string().optional(),
  miners: z.array(RosterMinerSchema).min(1),
  validators: z.array(RosterValidatorSchema).min(1),
}).superRefine((roster, ctx) => {
  const seen = new Set<string>();
  const all = [
    ...roster.miners.map((m, i) => ({ name: m.name, path: ["miners", i, "name"] })),
    ...roster.validators.map((v, i) => ({ name: v.name, path: ["validators", i, "name"] })),
  ];
  for (const { name, path } of all) {
    if (seen.has(name)) ctx.addIssue({ code: "custom", path, message: `name "${name}" is used twice` });
    if (RESERVED.has(name) || name.startsWith("miner-")) {
      ctx.addIssue({ code: "custom", path, message: `name "${name}" is reserved by localnet` });
    }
    seen.add(name);
  }
});
export type RosterFile = z.infer<typeof RosterFileSchema>;
export type RosterMinerEntry = z.infer<typeof RosterMinerSchema>;
export type RosterValidatorEntry = z.infer<typeof RosterValidatorSchema>;

/** Raised for a roster file that cannot be used; the message names the file and every problem. */
export class RosterError extends Error {}

/** Parses the text of a roster file (`source` names it in errors). */
export function parseRosterFile(text: string, source: string): RosterFile {
  let json: unknown;
  try {
    json = JSON.parse(stripJsonComments(text));
  } catch (error) {
    throw new RosterError(`Roster ${source} is not JSON: ${(error as Error).message}`);
  }
  const parsed = RosterFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(file)"}: ${i.message}`);
    throw new RosterError(`Roster ${source} is invalid:\n${problems.join("\n")}`);
  }
  return parsed.data;
}

/** The default expectation of a built-in miner strategy. */
export function defaultExpect(strategy: MinerStrategy): MinerExpect {
  if (strategy === "honest") return "honest";
  if (strategy === "partial_fast") return "below";
  if (strategy === "sybil") return "copy";
  return "zero";
}

/** `text` with `//` and `/* *\/` comments blanked out (strings kept as they are). */
export function stripJsonComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
      out += " ";
    } else {
      out += c;
    }
  }
  return out;
}
