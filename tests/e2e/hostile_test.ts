// The hostile-input suite: one epoch of two honest miners and one miner per hostile upload (manifest text
// `null`, `{"files":{}}`, `[null]`, a key listed twice, files missing behind a valid signature, 10,000 files,
// a 1 GB file, truncated Parquet, a compression bomb, a file that changes between list and GET, NaN and
// Infinity), a validator whose S3 fails for one honest miner, and a validator publishing `[null]` as evidence.
// Every validator still finalises the epoch through its real loop; every hostile miner gets its own zero
// with the right reason, nothing over budget is ever downloaded, the miner S3 failed on is "not judged"
// (never a cheat), downloads are deleted, and every honest verdict equals that of the same epoch without
// the hostile uploads.
import { DuckDBInstance } from "@duckdb/node-api";
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { canonicalJson, sha256Hex } from "../../shared/canonical_json.ts";
import { writeListingsParquet } from "../../shared/adapters/duckdb/listings_parquet.ts";
import { createLogger } from "../../shared/log.ts";
import { encodeManifest, signManifest } from "../../shared/manifest.ts";
import { minerDataKey, minerManifestKey, OUTPUT_FILES, validatorKey } from "../../shared/s3_keys.ts";
import type { MinerStrategy } from "../../miner/strategies.ts";
import type { ValidationReport } from "../../shared/schemas/report.ts";
import type { KeyringPair } from "../../shared/signature.ts";
import { createValidatorLoop } from "../../validator/loop.ts";
import { collectFacts } from "../../validator/judge.ts";
import { judgeAll } from "../../validator/judge_all.ts";
import { sampleListing } from "../fixtures/listings.ts";
import { simFetcher } from "../fixtures/listing_site/sim_fetcher.ts";
import { type S3Tamper, tamperedFetch } from "../harness/tampered_s3.ts";
import { clientOf, createNetwork, judgeDepsOf, mine, type Network, NETWORK_ZIPS } from "./network_harness.ts";

const EPOCH = "2025-10-01T16-00-00";
const HOUR = 3_600_000;
const ZIP = NETWORK_ZIPS[0].zip;

/** Miners that run the real miner with a strategy. */
const MINED: MinerStrategy[] = [
  "honest",
  "honest",
  "null_manifest",
  "dup_key_manifest",
  "missing_files",
  "huge_manifest",
  "nan_values",
];
/** Miners whose uploads the test writes into S3 itself (registered as "honest", never mined). */
const CRAFTED = [
  "files_object",
  "null_list",
  "truncated",
  "bomb",
  "tiny_files",
  "gigabyte",
  "changed",
] as const;
type Crafted = typeof CRAFTED[number];

const EXPECTED: Record<string, RegExp> = {
  null_manifest: /^manifest malformed: /,
  dup_key_manifest: /^manifest malformed: manifest\.files lists a key twice$/,
  missing_files: /^file missing: /,
  huge_manifest: /^over budget: 10000 files exceed the limit of 2000$/,
  nan_values: /^values: .*NaN, infinite or out-of-range number: \d+ rows/,
  files_object: /^manifest malformed: /,
  null_list: /^manifest malformed: /,
  truncated: /^files: .*zipcode=77005\/listings\.parquet": /,
  bomb: /^files: .*decodes to \d+ bytes/,
  tiny_files: /^over budget: 10000 files exceed the limit of 2000$/,
  gigabyte: /^over budget: \d+ bytes in total exceed the limit of \d+$/,
  changed: /^file changed after the manifest: /,
};

/** Honest rows of `pair` for ZIP, as Parquet bytes. */
async function honestParquet(
  net: Network,
  pair: KeyringPair,
  nonce: string,
  bomb = false,
): Promise<Uint8Array> {
  const stamp = {
    epochId: EPOCH,
    nonce,
    minerHotkey: pair.address,
    zipcode: ZIP,
    scrapedAt: net.t.deps.clock.now().toISOString(),
  };
  const path = `${net.dir}/${pair.address}.parquet`;
  await writeListingsParquet(Array.from({ length: 20 }, (_, i) => sampleListing(i, stamp)), path);
  if (bomb) {
    // Each street 1 MB of one letter (distinct, so no dictionary): 20 MB decoded, a few KB stored.
    const instance = await DuckDBInstance.create(":memory:");
    const c = await instance.connect();
    await c.run(`COPY (SELECT * REPLACE (repeat('a', 1048576) || zpid AS street) FROM read_parquet('${path}'))
      TO '${path}.bomb' (FORMAT parquet, COMPRESSION zstd)`);
    c.closeSync();
    instance.closeSync();
    return await Deno.readFile(`${path}.bomb`);
  }
  return await Deno.readFile(path);
}

/** Stores `files` and a manifest over them (signed by `pair`), and reports COMPLETED for it. */
async function craftUpload(
  net: Network,
  pair: KeyringPair,
  nonce: string,
  files: { key: string; body: Uint8Array; declared?: { sha256: string; bytes: number } }[],
) {
  for (const f of files) net.t.presigner.putObject(net.t.config.S3_BUCKET, f.key, f.body);
  const manifest = encodeManifest(signManifest(pair, {
    version: 1,
    epoch_id: EPOCH,
    miner_hotkey: pair.address,
    created_at: net.t.deps.clock.now().toISOString(),
    files: files.map((f) => ({
      key: f.key,
      zipcode: ZIP,
      sha256: f.declared?.sha256 ?? sha256Hex(f.body),
      rows: 20,
      bytes: f.declared?.bytes ?? f.body.byteLength,
    })),
    total_rows: 20 * files.length,
  }));
  net.t.presigner.putObject(net.t.config.S3_BUCKET, minerManifestKey(pair.address, EPOCH), manifest.text);
  await clientOf(net, pair).status({
    epochId: EPOCH,
    nonce,
    status: "COMPLETED",
    s3UploadComplete: true,
    manifestSha256: manifest.sha256,
  });
}

/** Writes each crafted miner's upload; returns the S3 tampering every validator sees. */
async function craft(net: Network, crafted: Map<Crafted, KeyringPair>): Promise<S3Tamper> {
  const { nonce } = await clientOf(net, net.miners[0].pair).current();
  const tamper: S3Tamper = { listedSize: {}, getBody: {} };
  const raw = (text: string, pair: KeyringPair) =>
    net.t.presigner.putObject(net.t.config.S3_BUCKET, minerManifestKey(pair.address, EPOCH), text);
  const dataKey = (pair: KeyringPair, file = "listings.parquet") =>
    minerDataKey(pair.address, EPOCH, ZIP, file);
  for (const [name, pair] of crafted) {
    const body = await honestParquet(net, pair, nonce, name === "bomb");
    if (name === "files_object") raw('{"files":{}}', pair);
    else if (name === "null_list") raw("[null]", pair);
    else if (name === "truncated" || name === "bomb") {
      await craftUpload(net, pair, nonce, [{
        key: dataKey(pair),
        body: name === "bomb" ? body : body.slice(0, body.length / 2),
      }]);
    } else if (name === "tiny_files") {
      const files = Array.from(
        { length: 10_000 },
        (_, i) => ({ key: dataKey(pair, `f${i}.parquet`), body: new Uint8Array([i % 256]) }),
      );
      await craftUpload(net, pair, nonce, files);
    } else if (name === "gigabyte") {
      // Declared and listed as 1 GB; the stored stand-in is small, and must never be fetched.
      await craftUpload(net, pair, nonce, [{
        key: dataKey(pair),
        body,
        declared: { sha256: sha256Hex(body), bytes: 1e9 },
      }]);
      tamper.listedSize![dataKey(pair)] = 1e9;
    } else if (name === "changed") {
      await craftUpload(net, pair, nonce, [{ key: dataKey(pair), body }]);
      tamper.getBody![dataKey(pair)] = body.map((b, i) => (i === 100 ? b ^ 1 : b));
    }
  }
  return tamper;
}

/** Runs one validator's real loop over the epoch until it is finalised; returns its report. */
async function judgeThroughLoop(
  net: Network,
  pair: KeyringPair,
  name: string,
  tamper: S3Tamper,
  finalizeAt: number,
) {
  const deps = { ...judgeDepsOf(net, pair, simFetcher(net.market, name), name) };
  deps.fetch = tamperedFetch(net.t.presigner.fetch, tamper);
  const loop = createValidatorLoop({
    judge: deps,
    weights: {
      chain: net.chain,
      netuid: 46,
      pair,
      epochOptions: { epochSeconds: 14_400, uploadLeadSeconds: 900 },
      log: createLogger({ sink: () => {}, clock: net.t.deps.clock }),
      metrics: deps.metrics,
    },
  });
  // Three ticks while judging (a validator-side fault is retried JUDGE_ATTEMPTS = 3 times), then one at
  // the finalisation moment.
  for (let i = 0; i < 3; i++) await loop.tick(net.t.deps.clock.now().getTime());
  return { deps, loop, finalize: () => loop.tick(finalizeAt).then(() => loop.reportOf(EPOCH)) };
}

/** The network with hostile uploads (or, `hostile` false, the same miners where only the honest upload). */
async function runEpoch(hostile: boolean) {
  const net = await createNetwork([...MINED, ...CRAFTED.map(() => "honest" as const)], 3);
  const crafted = new Map(CRAFTED.map((name, i) => [name, net.miners[MINED.length + i].pair]));
  let tamper: S3Tamper = {};
  try {
    for (const [i, miner] of net.miners.entries()) {
      if (i < 2 || (hostile && i < MINED.length)) await mine(net, miner);
    }
    if (hostile) tamper = await craft(net, crafted);
    await net.t.advance(4 * HOUR); // into the next epoch: the validation window
    const finalizeAt = Date.parse("2025-10-02T00:00:00Z") - 900_000;
    const gets = new Map<string, number>();
    const v0 = await judgeThroughLoop(net, net.validators[0], "v0", { ...tamper, gets }, finalizeAt);
    // v1's S3 fails for the second honest miner's data: not judged, never zeroed as a cheat.
    const failing = Object.fromEntries(
      NETWORK_ZIPS.map((
        z,
      ) => [minerDataKey(net.miners[1].pair.address, EPOCH, z.zip, "listings.parquet"), 503]),
    );
    const v1 = await judgeThroughLoop(
      net,
      net.validators[1],
      "v1",
      hostile ? { ...tamper, getStatus: failing } : tamper,
      finalizeAt,
    );
    if (hostile) {
      // v2 publishes malformed evidence: null, wrong types, an unknown outcome.
      const junk = [null, "valid", { miner: 5, zpid: "1", outcome: "valid" }, {
        miner: net.miners[0].pair.address,
        zpid: "1",
        outcome: "maybe",
      }];
      const v2 = judgeDepsOf(net, net.validators[2], simFetcher(net.market, "v2"), "v2");
      await v2.upload(
        validatorKey(net.validators[2].address, EPOCH, OUTPUT_FILES.evidence),
        new TextEncoder().encode(JSON.stringify(junk)),
        finalizeAt,
      );
    }
    await net.t.advance(finalizeAt - net.t.deps.clock.now().getTime());
    const a = (await v0.finalize())!;
    const b = (await v1.finalize())!;
    const downloadsLeft = await Deno.stat(`${net.dir}/validators/v0/epochs/${EPOCH}/downloads`).then(
      () => true,
      () => false,
    );
    return { net, crafted, a, b, gets, v0, downloadsLeft };
  } catch (error) {
    await net.close();
    throw error;
  }
}

/** Honest verdicts without what differs between two networks anyway (each API draws its own nonce, so the
 * manifests' hashes and hence the sampled zpids differ): scores, ranks, weights, reasons, counts, checks. */
const honestView = (r: ValidationReport, hotkeys: string[]) =>
  canonicalJson(
    r.miners.filter((m) => hotkeys.includes(m.hotkey)).map(({ manifestSha256: _, spotChecks, ...m }) => ({
      ...m,
      spotChecks: spotChecks.map((c) => c.outcome),
    })),
  );

Deno.test("hostile miners and validators cost only their own verdicts; every epoch is finalised", async () => {
  const base = await runEpoch(false);
  await base.net.close();
  const run = await runEpoch(true);
  const { net, a, b } = run;
  try {
    assert(a && b, "both validators finalised the epoch");
    const verdict = (r: ValidationReport, hotkey: string) => r.miners.find((m) => m.hotkey === hotkey)!;
    const hostile: [string, string][] = [
      ...MINED.slice(2).map((s, i) => [s, net.miners[2 + i].pair.address] as [string, string]),
      ...[...run.crafted].map(([name, pair]) => [name, pair.address] as [string, string]),
    ];
    for (const [name, hotkey] of hostile) {
      const v = verdict(a, hotkey);
      assertEquals([name, v.score, v.weight, v.failure], [name, 0, 0, "input"]);
      assertMatch(v.reason ?? "", EXPECTED[name], name);
      assertEquals(verdict(b, hotkey).reason, v.reason, `${name}: the same reason on every validator`);
    }
    // Nothing over budget was downloaded: no tiny file, no gigabyte file, no compression-bomb page read twice.
    const tiny = run.crafted.get("tiny_files")!.address;
    assertEquals([...run.gets.keys()].filter((k) => k.includes(tiny) && !k.endsWith("manifest.json")), []);
    assertEquals(
      run.gets.get(minerDataKey(run.crafted.get("gigabyte")!.address, EPOCH, ZIP, "listings.parquet")),
      undefined,
    );

    // Honest verdicts are exactly those of the same epoch without the hostile uploads.
    const honest = [net.miners[0].pair.address, net.miners[1].pair.address];
    assert(honest.every((h) => verdict(a, h).score > 0), "honest miners score");
    assertEquals(honestView(a, honest), honestView(base.a, honest));

    // v1 could not read the second honest miner: "not judged", no weight, never an input failure.
    const notJudged = verdict(b, honest[1]);
    assertEquals([notJudged.weight, notJudged.failure], [0, "not_judged"]);
    assertMatch(
      notJudged.reason ?? "",
      /^not judged: 3 attempts failed on this validator's side \(last: .*503/,
    );
    assert(verdict(b, honest[0]).score > 0);

    // v2's malformed evidence was dropped with a metric, and the downloads of the finalised epoch are gone.
    assertMatch(run.v0.deps.metrics.render(), /zipmine_validator_evidence_dropped_total\{[^}]*\} 4/);
    assertEquals(run.downloadsLeft, false);

    // A validator that reaches the judging deadline before judging anyone reports every miner not judged.
    const late = judgeDepsOf(net, net.validators[2], simFetcher(net.market, "late"), "late");
    const facts = await collectFacts(late, EPOCH);
    const all = await judgeAll(late, facts, 0, new Map());
    assertEquals(all.pending, 0);
    assertEquals(new Set(all.findings.map((f) => f.notJudged)), new Set(["the judging deadline passed"]));
  } finally {
    await net.close();
  }
});
