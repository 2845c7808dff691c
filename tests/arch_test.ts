// Architecture rules that tools, not reviewers, enforce (see shared/mod.ts for the rule index).
import { assertEquals } from "./assert.ts";

const ROOT = new URL("../", import.meta.url);

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    for await (const entry of Deno.readDir(new URL(rel, ROOT))) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory && entry.name !== "node_modules") await walk(path);
      else if (entry.isFile && /\.tsx?$/.test(entry.name) && !/_test\.tsx?$/.test(entry.name)) out.push(path);
    }
  }
  try {
    await walk(dir);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return out.sort();
}

// The code of a file without its comment lines: comments may mention what the code must not do.
async function readCode(path: string): Promise<string> {
  const text = await Deno.readTextFile(new URL(path, ROOT));
  return text.split("\n").filter((l) => !/^\s*(\/\/|\*|\/\*\*)/.test(l)).join("\n");
}

// The pure core takes time, randomness, environment and I/O as arguments; only wallet.ts reads a file.
const AMBIENT = [
  /\bDeno\./,
  /(?:await|return|=|\(|,)\s*fetch\(/, // a call of the global fetch (a port's `fetch(...)` method is fine)
  /\bDate\.now\(/,
  /\bnew Date\(\)/,
  /\bMath\.random\(/,
  /\bconsole\./,
  /\bprocess\.env\b/,
  /\bsetTimeout\(|\bsetInterval\(/,
];
// linkedom is allowed: parsing HTML text into a DOM is pure computation.
const FORBIDDEN_IMPORTS = [
  /@aws-sdk/,
  /@polkadot\/api/,
  /@duckdb/,
  /["']hono/,
  /node:(net|http|https|child_process)/,
];
// shared/adapters/ holds the I/O that several programs share; shared/testing/ holds fakes and conformance
// suites for tests. Everything else under shared/ is the pure core.
const NOT_CORE = ["shared/adapters/", "shared/testing/"];

Deno.test("shared/ reads no clock, randomness, environment, network or console", async () => {
  const offences: string[] = [];
  for (const file of (await sourceFiles("shared")).filter((f) => !NOT_CORE.some((p) => f.startsWith(p)))) {
    const text = await readCode(file);
    for (const pattern of [...AMBIENT, ...FORBIDDEN_IMPORTS]) {
      if (pattern.test(text)) offences.push(`${file}: ${pattern}`);
    }
    if (/node:fs/.test(text)) offences.push(`${file}: reads files`);
  }
  assertEquals(offences, []);
});

// Protocol literals have one owner file each, so a rule change is a one-file diff.
const OWNERS: [RegExp, string][] = [
  [/hotkey=/, "shared/s3_keys.ts"],
  [/validators\//, "shared/s3_keys.ts"],
  [/zipcode:(status|validation|assignment|seed|submissions|validated-counts):/, "shared/commitment.ts"],
  [/s3:(data|validator):/, "shared/commitment.ts"],
  [/miner:status:/, "shared/commitment.ts"],
  [/zipmine:manifest:/, "shared/manifest.ts"],
  [/zipmine:assignment:/, "shared/assignment_signature.ts"],
  [/bt_header_/, "shared/synapse.ts|shared/schemas/synapse.ts"],
];

Deno.test("protocol literals appear only in their owner file", async () => {
  const files = (await Promise.all(["api", "miner", "validator", "shared"].map(sourceFiles))).flat();
  const offences: string[] = [];
  for (const file of files) {
    const code = await readCode(file);
    for (const [pattern, owner] of OWNERS) {
      if (!owner.split("|").includes(file) && pattern.test(code)) {
        offences.push(`${file} uses ${pattern} (owner: ${owner})`);
      }
    }
  }
  assertEquals(offences, []);
});
