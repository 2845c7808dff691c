import { assert, assertEquals } from "../tests/assert.ts";
import { createLogger, redact } from "./log.ts";

function capture(level: "debug" | "info" = "info", secrets: string[] = []) {
  const lines: string[] = [];
  const log = createLogger({ sink: (l) => lines.push(l), level, secrets, clock: { now: () => new Date(0) } });
  return { lines, log };
}

Deno.test("createLogger() writes one JSON object per line with time, level, message and fields", () => {
  const { lines, log } = capture();
  log.child({ component: "api" }).info("epoch planned", { epochId: "2025-10-01T16-00-00", zipcodes: 12 });
  log.debug("hidden below the level");
  assertEquals(lines.length, 1);
  assertEquals(JSON.parse(lines[0]), {
    ts: "1970-01-01T00:00:00.000Z",
    level: "info",
    msg: "epoch planned",
    component: "api",
    epochId: "2025-10-01T16-00-00",
    zipcodes: 12,
  });
});

Deno.test("createLogger() never prints signatures, nonces, seeds, secrets or presigned signatures", () => {
  const secret = "super-secret-epoch-key-0123456789abcdef";
  const { lines, log } = capture("info", [secret]);
  log.warn(`bad request with key ${secret}`, {
    signature: "0xabc",
    nonce: "376ce532f42cf2a5376ce532f42cf2a5",
    samplingSeed: "ff",
    body: { hotkey: "5G...", secretPhrase: "word word" },
    url: "http://s3/x?X-Amz-Credential=AK&X-Amz-Signature=deadbeef&x=1",
    query: "/current?hotkey=5G&signature=0xfeed&timestamp=1",
    error: new Error(`failed for ${secret}`),
  });
  const line = lines[0];
  for (
    const leaked of [
      secret,
      "0xabc",
      "376ce532f42cf2a5376ce532f42cf2a5",
      "word word",
      "deadbeef",
      "0xfeed",
      "AK&",
    ]
  ) {
    assert(!line.includes(leaked), `log line leaks ${leaked}: ${line}`);
  }
  const record = JSON.parse(line);
  assertEquals(record.body.hotkey, "5G...");
  assertEquals(record.url, "http://s3/x?X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]&x=1");
});

Deno.test("redact() stops at a depth limit instead of recursing forever", () => {
  // deno-lint-ignore no-explicit-any
  const loop: any = { a: {} };
  loop.a.b = loop;
  assert(JSON.stringify(redact(loop)).includes("[truncated]"));
});
