/**
 * `deno task localnet [--epochs N] [--check] [--roster file|name] [--api-outage] [--api-outage-at-boundary]
 * [--json file] [--s3 fauxqs|radosgw|<endpoint>] [--epoch-seconds S] [--dir folder] [--no-commit-reveal]`:
 * runs the whole subnet on this machine (see `localnet.ts`) with the roster's miners and validators
 * (`roster.ts`), prints each judged epoch with the path the validators' weights landed through on the
 * chain, and with `--check` exits non-zero unless every liar scored exactly 0, every honest miner above 0
 * and above every liar, the fastest complete honest miner first, the validators agreed on at least 99 % of
 * weight (`summary.ts`) and, at the last epoch, every validator's weights are on chain through CRv4 (or
 * set_weights with `--no-commit-reveal`) and every validator's report re-derives from the public record it
 * leaves in `<dir>/record/` (`deno task verify --dir <dir>/record`).
 * @module
 */
import { parseFlags, renderUsage, UsageError } from "../../shared/cli_args.ts";
import { runLocalnet, usedRelay } from "./localnet.ts";
import { checkChainWeights, checkEpoch, renderSummary } from "./summary.ts";
import { minersOnHeldPolicies, minersOnSealedPlans, outageCreditedHotkeys } from "./outage_at_boundary.ts";
import { loadRoster, type Roster } from "./roster.ts";
import { RosterError } from "./roster_file.ts";
import { checkRecord, recordCommands } from "./record.ts";

const FLAGS = {
  "--epochs": { env: "EPOCHS", help: "epochs to judge (default 3)" },
  "--json": { env: "JSON", help: "also write the summaries to this file" },
  "--s3": { env: "S3", help: "object store: fauxqs (default), radosgw or an http(s) endpoint" },
  "--epoch-seconds": { env: "EPOCH_SECONDS", help: "epoch length (default 120; must divide 86400)" },
  "--dir": { env: "DIR", help: "data folder (default .zipmine/localnet-<time>)" },
  "--roster": {
    env: "ROSTER",
    help:
      "who takes part: a roster file (JSON/JSONC) or a name under tests/localnet/rosters/ (default, adversarial)",
  },
};
const SWITCHES = {
  "--check":
    "exit 1 unless liars score 0, honest miners score above them, the fastest first, validators agree",
  "--api-outage": "take the API down mid-epoch; a restarted miner must mine from the validators' relay",
  "--no-commit-reveal": "subnet with commit-reveal off: weights by set_weights instead of CRv4",
  "--api-outage-at-boundary":
    "take the API down before an epoch starts until past its end; miners open its sealed plan and upload with held policies",
};

async function main(argv: string[]): Promise<number> {
  const args = parseFlags(argv, FLAGS, SWITCHES);
  if (args.kind === "help") {
    console.log(
      renderUsage(
        ["Usage: deno task localnet [flags]", "", "The whole subnet on this machine."],
        FLAGS,
        SWITCHES,
      ),
    );
    return 0;
  }
  const epochs = Number(args.env.EPOCHS ?? 3);
  const epochSeconds = Number(args.env.EPOCH_SECONDS ?? 120);
  if (!Number.isInteger(epochs) || epochs < 1) throw new UsageError(`--epochs must be a positive integer`);
  if (!Number.isInteger(epochSeconds) || epochSeconds < 60 || 86_400 % epochSeconds !== 0) {
    throw new UsageError(`--epoch-seconds must be whole seconds >= 60 dividing 86400`);
  }
  const roster = await loadRoster(args.env.ROSTER);
  const dir = args.env.DIR ?? `.zipmine/localnet-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  const started = Date.now();
  const tty = Deno.stdout.isTerminal();
  console.log(`localnet: data and logs in ${dir}`);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  Deno.addSignalListener("SIGINT", onSignal);
  const summaries = await runLocalnet({
    epochs,
    epochSeconds,
    s3: args.env.S3 ?? "fauxqs",
    dir,
    signal: stop.signal,
    roster,
    apiOutage: args.switches.has("--api-outage"),
    commitReveal: !args.switches.has("--no-commit-reveal"),
    apiOutageAtBoundary: args.switches.has("--api-outage-at-boundary"),
    onProgress: (line) => {
      const stamp = `[localnet ${Math.round((Date.now() - started) / 1000)}s]`;
      if (tty) console.log(`${stamp} ${line}`);
      else console.log(JSON.stringify({ ts: new Date().toISOString(), msg: line }));
    },
  });
  Deno.removeSignalListener("SIGINT", onSignal);
  for (const s of summaries) console.log(`\n${renderSummary(s)}`);
  if (args.env.JSON) await Deno.writeTextFile(args.env.JSON, JSON.stringify({ epochs: summaries }, null, 1));
  console.log(
    `\nlocalnet: ${summaries.length} epochs judged in ${
      Math.round((Date.now() - started) / 1000)
    } s; data in ${dir}`,
  );
  console.log(
    `\nThe public record is on disk; query and verify it:\n${
      recordCommands(dir).map((c) => `  ${c}`).join("\n")
    }`,
  );
  if (args.switches.has("--check")) {
    const failures = [
      ...summaries.flatMap(checkEpoch),
      ...checkChainWeights(summaries[summaries.length - 1]),
      // Every honest validator's report of every judged epoch re-derives from the record left on disk, and
      // the audit catches each lying one (its published evidence is not what it judged by).
      ...auditFailures(
        await checkRecord(dir, summaries.map((s) => s.epochId)),
        roster.validators.filter((v) => !v.agrees).map((v) => v.pair.address),
      ),
    ];
    if (args.switches.has("--api-outage") && !(await usedRelay(dir, "honest-slow"))) {
      failures.push("--api-outage: the restarted miner never mined from the validators' relay");
    }
    if (args.switches.has("--api-outage-at-boundary") && summaries.length > 0) {
      failures.push(...await checkOutageAtBoundary(dir, roster, summaries[0].epochId));
    }
    for (const f of failures) console.log(`check failed: ${f}`);
    console.log(
      failures.length === 0 ? "localnet check: passed" : `localnet check: ${failures.length} failures`,
    );
    return failures.length === 0 ? 0 : 1;
  }
  return 0;
}

/**
 * `--api-outage-at-boundary`: every miner opened the epoch's sealed plan and uploaded with a policy issued
 * ahead; the honest miners' parts were credited at S3's write time, the late miner's upload was refused.
 */
async function checkOutageAtBoundary(dir: string, roster: Roster, epochId: string): Promise<string[]> {
  const miners = roster.miners;
  const names = miners.map((m) => m.name);
  const failures: string[] = [];
  const opened = await minersOnSealedPlans(dir, names, epochId);
  const notOpened = names.filter((n) => !opened.includes(n));
  if (notOpened.length > 0) {
    failures.push(`--api-outage-at-boundary: ${notOpened.join(", ")} never opened ${epochId}'s sealed plan`);
  }
  // Every miner that uploads before the deadline; the late one finds its held policy expired.
  const held = await minersOnHeldPolicies(dir, names, epochId);
  const notHeld = miners.filter((m) => m.strategy !== "late" && !held.includes(m.name)).map((m) => m.name);
  if (notHeld.length > 0) {
    failures.push(
      `--api-outage-at-boundary: ${notHeld.join(", ")} never uploaded ${epochId} with a policy issued ahead`,
    );
  }
  const credited = new Set(await outageCreditedHotkeys(dir, epochId));
  for (const m of miners) {
    const expected = m.strategy !== "late";
    if (m.strategy !== "honest" && m.strategy !== "late") continue;
    if (credited.has(m.pair.address) !== expected) {
      failures.push(
        `--api-outage-at-boundary: ${m.name} was ${
          expected ? "not " : ""
        }credited at S3's write time for ${epochId}`,
      );
    }
  }
  return failures;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (error instanceof UsageError || error instanceof RosterError) {
      console.error(error.message);
      Deno.exit(2);
    }
    console.error(`localnet failed: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
}

/** The record's failures of honest validators, plus one for each liar the audit did not flag. */
function auditFailures(failures: string[], liars: string[]): string[] {
  const ofLiar = (f: string) => liars.some((liar) => f.includes(liar));
  return [
    ...failures.filter((f) => !ofLiar(f)),
    ...liars.filter((liar) => !failures.some((f) => f.includes(liar))).map((liar) =>
      `verify: the lying validator ${liar}'s report re-derived: the audit did not catch it`
    ),
  ];
}
