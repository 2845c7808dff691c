/**
 * Load benchmark of the API's hottest route: signed `GET /current`, every request carrying its own fresh
 * signature (signed before the run, so the client spends no CPU on sr25519 while measuring), through the
 * full pipeline: schema, timestamp, sr25519 verification, metagraph, replay cache and rate limit in KV.
 *
 *     deno task bench:api [--verify-workers 1] [--seconds 10] [--connections 32] [--requests 60000]
 *
 * Starts `api/main.ts` as a subprocess on a loopback port with a temporary KV and metagraph, drives it with
 * wrk (Debian package `wrk`) and prints requests/s, p50 and p99 latency and the non-2xx count.
 * @module
 */
import { encodeAddress } from "@polkadot/util-crypto";
import { sr25519KeypairFromSeed, sr25519Sign, waitReady } from "@polkadot/wasm-crypto";
import { buildCommitment } from "../../shared/commitment.ts";

const args = new Map<string, string>();
for (let i = 0; i < Deno.args.length; i += 2) args.set(Deno.args[i].replace(/^--/, ""), Deno.args[i + 1]);
const workers = Number(args.get("verify-workers") ?? 1);
const seconds = Number(args.get("seconds") ?? 10);
const connections = Number(args.get("connections") ?? 32);
const hotkeys = 64;
const requests = Number(args.get("requests") ?? 60_000);
const port = 18_000 + Math.floor(Math.random() * 1000);

await waitReady();
const dir = await Deno.makeTempDir({ prefix: "zipmine-bench-" });
const keys = Array.from({ length: hotkeys }, (_, i) => {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(0, i + 1);
  const pair = sr25519KeypairFromSeed(seed);
  const publicKey = pair.slice(64);
  return { secret: pair.slice(0, 64), publicKey, address: encodeAddress(publicKey, 42) };
});
await Deno.writeTextFile(
  `${dir}/metagraph.json`,
  JSON.stringify({
    netuid: 46,
    block: 1,
    neurons: keys.map((k, uid) => ({
      uid,
      hotkey: k.address,
      coldkey: k.address,
      stake: 0,
      validatorPermit: false,
    })),
  }),
);

// Pre-sign every request with a distinct signature; timestamps stay inside the 300 s window for the run.
const timestamp = Math.floor(Date.now() / 1000) + 20;
const message = new TextEncoder().encode(buildCommitment("currentAssignment", { timestamp }));
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const lines: string[] = [];
for (let i = 0; i < requests; i++) {
  const k = keys[i % hotkeys];
  const signature = hex(sr25519Sign(k.publicKey, k.secret, message));
  lines.push(
    `/api/v1/zipcode-assignments/current?hotkey=${k.address}&signature=${signature}&timestamp=${timestamp}`,
  );
}
await Deno.writeTextFile(`${dir}/paths.txt`, lines.join("\n") + "\n");
await Deno.writeTextFile(
  `${dir}/bench.lua`,
  `local paths = {}
for line in io.lines("${dir}/paths.txt") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i + 1
  if i > #paths then i = 1 end
  return wrk.format("GET", paths[i])
end
`,
);

const api = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    ...(Deno.env.get("BENCH_V8_FLAGS") ? [`--v8-flags=${Deno.env.get("BENCH_V8_FLAGS")}`] : []),
    new URL("../../api/main.ts", import.meta.url).pathname,
  ],
  env: {
    EPOCH_SECRET: "bench-secret-0123456789-0123456789-abcdef",
    S3_ACCESS_KEY_ID: "AKIABENCH",
    S3_SECRET_ACCESS_KEY: "bench",
    S3_ENDPOINT: "http://127.0.0.1:9",
    METAGRAPH_SOURCE: `file:${dir}/metagraph.json`,
    KV_PATH: `${dir}/api.kv`,
    API_PORT: String(port),
    API_HOSTNAME: "127.0.0.1",
    API_VERIFY_WORKERS: String(workers),
    LOG_LEVEL: "warn",
    MINER_RATE_LIMIT_PER_MINUTE: "1000000",
    PREAUTH_RATE_LIMIT_PER_MINUTE: "100000000",
  },
  stdout: Deno.env.get("BENCH_PROBE") ? "inherit" : "null",
  stderr: "inherit",
}).spawn();

try {
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0;; i++) {
    try {
      const res = await fetch(`${base}/api/v1/zipcode-assignments/stats`);
      await res.body?.cancel();
      if (res.ok) break;
    } catch (error) {
      if (i > 100) throw error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 1000)); // let the workers start listening too
  if (Deno.env.get("BENCH_PROBE")) {
    const statuses: Record<string, number> = {};
    const sample: Record<string, string> = {};
    await Promise.all(
      lines.slice(0, 2000).map(async (p) => {
        const r = await fetch(base + p);
        const t = await r.text();
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        sample[r.status] ??= t.slice(0, 200);
      }),
    );
    console.log(statuses, sample);
  }
  const wrk = await new Deno.Command("wrk", {
    args: ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", `${dir}/bench.lua`, base],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(wrk.stdout);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)?.[1];
  const p50 = /\s50%\s+([\d.]+\w+)/.exec(out)?.[1];
  const p99 = /\s99%\s+([\d.]+\w+)/.exec(out)?.[1];
  const total = /(\d+) requests in/.exec(out)?.[1];
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? "0";
  console.log(out);
  console.log(
    `signed GET /current: ${rps} req/s, p50 ${p50}, p99 ${p99}, ${total} requests (${non2xx} non-2xx; ` +
      `${requests} distinct signatures, replays beyond that answer 401), ${workers} verify thread(s), ${connections} connections`,
  );
} finally {
  // kill() throws when the API already exited (its stderr says why); the status is awaited either way.
  await Promise.resolve().then(() => api.kill("SIGTERM")).catch((error) => console.error(`${error}`));
  await api.status;
  await Deno.remove(dir, { recursive: true });
}
