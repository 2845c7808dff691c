/**
 * `deno task verify`: re-derives every validator's published verdict on an epoch from the public record
 * (`shared/audit/audit.ts`) and says, per validator and per miner, where the report agrees and where not.
 * By default the miners' findings are recomputed from their files in the record (integrity and data checks
 * by the validator's own code, `recompute.ts`); `--published-findings` re-derives from the findings each
 * validator published instead (sample, merge, scores, ranks, weights only). Exit 0 when every report
 * re-derives, 1 on any disagreement or when nothing was published, 2 for a bad command line.
 * @module
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { auditValidator, type AuditVerdict, factsDisagreements } from "../../shared/audit/audit.ts";
import { OUTPUT_FILES } from "../../shared/s3_keys.ts";
import { cryptoReady } from "../../shared/signature.ts";
import { formatVerdicts } from "./format.ts";
import { createRecomputer } from "./recompute.ts";
import { publicApiRecord } from "./remote_source.ts";
import { localRecord, type RecordSource } from "./source.ts";

const USAGE = `Usage: deno task verify [--epoch <id>] [--validator <hotkey>] [--dir <record> | --api <url>]
                         [--published-findings]

Re-derives each validator's report from the public record: the epoch's facts it published
(audit/facts.json), every validator's spot-check evidence, and the miners' files.
  --dir <record>          a local copy of both buckets in their key layout, e.g. localnet's <dir>/record
  --api <url>             the API's public record routes (epochs whose validation window has closed)
  --epoch <id>            the judged epoch (default with --dir: every epoch in the record)
  --validator <hotkey>    only this validator
  --published-findings    do not recompute integrity and data checks from the miners' files`;

/** Audits every (or one) validator of one epoch; returns the verdicts. */
export async function verifyEpoch(
  source: RecordSource,
  epochId: string,
  options: { validator?: string; recompute: boolean },
): Promise<AuditVerdict[]> {
  const all = await source.validators(epochId);
  const evidence = new Map<string, unknown>();
  for (const v of all) evidence.set(v, await source.output(v, epochId, OUTPUT_FILES.evidence));
  const recomputer = options.recompute ? createRecomputer(source) : null;
  const verdicts: AuditVerdict[] = [];
  for (const validator of all) {
    const files = {
      report: await source.output(validator, epochId, OUTPUT_FILES.report),
      facts: await source.output(validator, epochId, OUTPUT_FILES.audit),
    };
    const light = auditValidator({ epochId, validator, files, evidenceOf: (v) => evidence.get(v) });
    const recomputed = recomputer && light.facts ? await recomputer(light.facts) : undefined;
    verdicts.push(
      recomputed
        ? auditValidator({ epochId, validator, files, evidenceOf: (v) => evidence.get(v), recomputed })
        : light,
    );
  }
  const facts = factsDisagreements(verdicts);
  const out = verdicts.map((v) => {
    const extra = facts.get(v.validator) ?? [];
    return extra.length === 0 ? v : { ...v, ok: false, disagreements: [...extra, ...v.disagreements] };
  });
  return options.validator ? out.filter((v) => v.validator === options.validator) : out;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      epoch: { type: "string" },
      validator: { type: "string" },
      dir: { type: "string" },
      api: { type: "string" },
      "published-findings": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if ((values.dir === undefined) === (values.api === undefined)) {
    console.error(`Give --dir or --api (one of them)\n\n${USAGE}`);
    return 2;
  }
  const cwd = Deno.env.get("INIT_CWD") ?? Deno.cwd();
  const source = values.dir !== undefined
    ? localRecord(resolve(cwd, values.dir))
    : publicApiRecord(values.api!);
  const epochs = values.epoch ? [values.epoch] : await source.epochs();
  if (epochs.length === 0) {
    console.error(`No judged epoch in ${source.describe} (give --epoch <id>)`);
    return 1;
  }
  const recompute = !values["published-findings"];
  await cryptoReady(); // integrity verifies the manifests' signatures
  let ok = true;
  for (const epochId of epochs) {
    const verdicts = await verifyEpoch(source, epochId, { validator: values.validator, recompute });
    if (verdicts.length === 0) {
      console.log(`epoch ${epochId}: no validator published a report in ${source.describe}`);
      ok = false;
      continue;
    }
    const mode = recompute
      ? `miners' findings recomputed from their files in ${source.describe}`
      : "published findings";
    console.log(formatVerdicts(epochId, verdicts, mode).join("\n"));
    ok &&= verdicts.every((v) => v.ok);
  }
  return ok ? 0 : 1;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${error.message}\n\n${USAGE}`);
      Deno.exit(2);
    }
    throw error;
  }
}
