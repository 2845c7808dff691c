// Architecture rules that tools, not reviewers, enforce (see shared/mod.ts for the rule index).
import { assertEquals } from "./assert.ts";
import { LONG_FILES, LONG_FUNCTIONS } from "./arch_sizes.ts";
import { lineCount, measureFunctions } from "./tools/code_size.ts";

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

// The pure core takes time, randomness, environment and I/O as arguments; no file is read here.
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

// ---- Rooms: who may import whom (README "Map of the house") ----

const PROGRAMS = ["api", "miner", "validator"];

// The room a repository path lives in: a program, the pure core, shared I/O, or the tests' doubles.
function roomOf(path: string): string {
  if (path.startsWith("tests/") || path.startsWith("shared/testing/")) return "test doubles";
  if (path.startsWith("shared/adapters/")) return "shared adapters";
  const top = path.split("/")[0];
  if (PROGRAMS.includes(top)) return top;
  return top === "shared" ? "pure core" : top;
}

const isTestFile = (path: string) => /_test\.tsx?$/.test(path);

// Every relative import or re-export of a file (static, type-only and dynamic), as repository paths.
const IMPORT =
  /\b(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\bimport\s+["']([^"']+)["']/g;
export function relativeImports(path: string, code: string): string[] {
  const out: string[] = [];
  for (const match of code.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (!specifier.startsWith(".")) continue;
    out.push(new URL(specifier, new URL(path, "file:///")).pathname.slice(1));
  }
  return out;
}

// Why an import from `from` of `to` breaks the map, or undefined when it may.
export function importOffence(from: string, to: string): string | undefined {
  const source = roomOf(from);
  const target = roomOf(to);
  if (PROGRAMS.includes(source) && PROGRAMS.includes(target) && source !== target) {
    return `the ${source} program imports the ${target} program`;
  }
  if (source === "pure core" && (target === "shared adapters" || PROGRAMS.includes(target))) {
    return `the pure core imports ${
      target === "shared adapters" ? "the shared adapters" : `the ${target} program`
    }`;
  }
  if (source === "shared adapters" && PROGRAMS.includes(target)) {
    return `a shared adapter imports the ${target} program`;
  }
  if (target === "test doubles" && source !== "test doubles" && !isTestFile(from)) {
    return "production code imports a test double";
  }
  return undefined;
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    for await (const entry of Deno.readDir(new URL(rel, ROOT))) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory && entry.name !== "node_modules") await walk(path);
      else if (entry.isFile && /\.tsx?$/.test(entry.name)) out.push(path);
    }
  }
  await walk(dir);
  return out.sort();
}

Deno.test("rooms: no program imports another, the core imports no adapter, production imports no test double", async () => {
  const files = (await Promise.all([...PROGRAMS, "shared"].map(allFiles))).flat();
  const offences: string[] = [];
  for (const file of files) {
    for (const target of relativeImports(file, await readCode(file))) {
      const why = importOffence(file, target);
      if (why) offences.push(`${file} imports ${target}: ${why}`);
    }
  }
  assertEquals(offences, []);
});

Deno.test("rooms: the rule itself catches each kind of offence", () => {
  const cases: [string, string, boolean][] = [
    ["miner/main.ts", "validator/chain/open_chain.ts", true],
    ["api/metagraph/chain_source.ts", "miner/state/json_file.ts", true],
    ["shared/epoch.ts", "shared/adapters/s3/client.ts", true],
    ["shared/schemas/listing.ts", "api/app.ts", true],
    ["shared/adapters/chain/open.ts", "validator/weights.ts", true],
    ["validator/main.ts", "shared/testing/fake_presigner.ts", true],
    ["api/app.ts", "tests/harness/api_harness.ts", true],
    ["api/app_test.ts", "tests/harness/api_harness.ts", false],
    ["shared/testing/fake_presigner.ts", "shared/ports.ts", false],
    ["miner/main.ts", "shared/adapters/chain/open.ts", false],
    ["shared/adapters/s3/client.ts", "shared/ports.ts", false],
    ["tests/localnet/main.ts", "validator/main.ts", false],
  ];
  assertEquals(
    cases.map(([from, to]) => importOffence(from, to) !== undefined),
    cases.map(([, , bad]) => bad),
  );
  assertEquals(
    relativeImports(
      "api/a/b.ts",
      'import type { X } from "../../miner/x.ts";\nexport * from "./y.ts";\nawait import("../z.ts");',
    ),
    ["miner/x.ts", "api/a/y.ts", "api/z.ts"],
  );
});

// The module graph as Deno resolves it (re-exports, dynamic imports with literal specifiers included): each
// program's entry point reaches only its own files, the core, the shared adapters, and no test double.
Deno.test("rooms: deno info of each program's entry point lists no module of another program", async () => {
  const offences: string[] = [];
  for (const program of PROGRAMS) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", `${program}/main.ts`],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(output.success, true, new TextDecoder().decode(output.stderr));
    const graph = JSON.parse(new TextDecoder().decode(output.stdout)) as { modules: { specifier: string }[] };
    const root = ROOT.href;
    const local = graph.modules.map((m) => m.specifier).filter((s) => s.startsWith(root)).map((s) =>
      s.slice(root.length)
    );
    assertEquals(local.includes(`${program}/main.ts`), true);
    for (const path of local) {
      const room = roomOf(path);
      if ((PROGRAMS.includes(room) && room !== program) || room === "test doubles") {
        offences.push(`${program}/main.ts reaches ${path} (${room})`);
      }
    }
  }
  assertEquals(offences, []);
});

// ---- Sizes: no production function over ~80 lines, no production file over ~400 lines ----

const MAX_FUNCTION_LINES = 80;
const MAX_FILE_LINES = 400;

// Production code: the programs and shared/, without tests and test doubles.
async function productionFiles(): Promise<string[]> {
  const files = (await Promise.all([...PROGRAMS, "shared"].map(allFiles))).flat();
  return files.filter((f) => !isTestFile(f) && roomOf(f) !== "test doubles");
}

Deno.test("sizes: a function over 80 lines or a file over 400 is an allowlisted exception that only shrinks", async () => {
  const offences: string[] = [];
  const seenFunctions = new Set<string>();
  const seenFiles = new Set<string>();
  for (const file of await productionFiles()) {
    const text = await Deno.readTextFile(new URL(file, ROOT));
    const lines = lineCount(text);
    if (lines > MAX_FILE_LINES) {
      seenFiles.add(file);
      const allowed = LONG_FILES[file];
      if (!allowed) {
        offences.push(`${file} has ${lines} lines (over ${MAX_FILE_LINES}; split it or allowlist it)`);
      } else if (lines > allowed.lines) {
        offences.push(`${file} grew to ${lines} lines (allowlisted: ${allowed.lines})`);
      }
    }
    for (const fn of measureFunctions(text)) {
      if (fn.lines <= MAX_FUNCTION_LINES) continue;
      const key = `${file}#${fn.name}`;
      seenFunctions.add(key);
      const allowed = LONG_FUNCTIONS[key];
      if (allowed === undefined) {
        offences.push(
          `${key} (line ${fn.line}) has ${fn.lines} lines (over ${MAX_FUNCTION_LINES}; split it)`,
        );
      } else if (fn.lines > allowed) {
        offences.push(`${key} grew to ${fn.lines} lines (allowlisted: ${allowed})`);
      }
    }
  }
  // An exception that is gone leaves the list, so the list only shrinks.
  for (const key of Object.keys(LONG_FUNCTIONS)) {
    if (!seenFunctions.has(key)) {
      offences.push(`${key} is within ${MAX_FUNCTION_LINES} lines now: drop it from tests/arch_sizes.ts`);
    }
  }
  for (const file of Object.keys(LONG_FILES)) {
    if (!seenFiles.has(file)) {
      offences.push(`${file} is within ${MAX_FILE_LINES} lines now: drop it from tests/arch_sizes.ts`);
    }
    if (LONG_FILES[file].reason.length < 20) offences.push(`${file}: the allowlist states no reason`);
  }
  assertEquals(offences, []);
});

Deno.test("sizes: the measure finds functions of each form and their length", () => {
  const body = (n: number) =>
    Array.from({ length: n }, (_, i) => `  const v${i} = { a: "}", b: \`{\${i}\` };`).join("\n");
  const text = [
    `export async function declared(a: { x: number }): Promise<void> {\n${body(90)}\n}`,
    `const arrow = async (a: string) => {\n${body(3)}\n};`,
    `class C {\n  method(x: number): number {\n${body(5)}\n  }\n}`,
    `// a comment with a brace { and a url http://x/{y}`,
  ].join("\n");
  const found = measureFunctions(text).map((f) => `${f.name}=${f.lines}`);
  assertEquals(found, ["declared=92", "arrow=5", "method=7"]);
  assertEquals(lineCount("a\nb\n"), 2);
});

Deno.test("sizes: the measure sees a function whose parameters' type literal spans lines", () => {
  const body = Array.from({ length: 85 }, (_, i) => `  const v${i} = ${i};`).join("\n");
  const text = [
    `export function spread(options: {\n  a: number;\n  b: (x: string) => void;\n}): number {\n${body}\n}`,
    `export async function mixed(\n  deps: Pick<D, "a"> & {\n    api: A;\n  },\n  n: number,\n): Promise<void> {\n${body}\n}`,
  ].join("\n");
  const found = measureFunctions(text).map((f) => `${f.name}=${f.lines}`);
  assertEquals(found, ["spread=90", "mixed=92"]);
});
