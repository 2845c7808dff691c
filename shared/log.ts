import type { Clock } from "./ports.ts";
/**
 * Structured JSON logging: one JSON object per line with `ts`, `level`, `msg` and fields. Secrets never
 * reach the output: fields whose names mark them as secret (signature, secret, nonce, seed, token, policy,
 * password, mnemonic, private key, credential, authorization) are replaced by "[redacted]", known secret
 * values (e.g. EPOCH_SECRET) are scrubbed from every string, and presigned-URL signatures and `signature=`
 * query parameters are cut out of URLs. The sink and clock are injected; the shells pass `console.log`.
 * @module
 */

/** Log levels in increasing severity. */
export type LogLevel = "debug" | "info" | "warn" | "error";
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A structured logger. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
}

/** How to build a logger. */
export interface LoggerOptions {
  /** Receives each finished line (no trailing newline). */
  sink: (line: string) => void;
  level?: LogLevel;
  /** Returns the current time (the shell's clock). */
  clock: Clock;
  /** Literal secret values to scrub from every string, e.g. from `secretValues(config)`. */
  secrets?: readonly string[];
  fields?: Record<string, unknown>;
}

const REDACTED = "[redacted]";
const SECRET_FIELD =
  /signature|secret|nonce|seed|token|polic(y|ies)|password|passphrase|mnemonic|private|credential|authorization|cookie|api_?key/i;
const URL_SECRET_PARAM =
  /([?&](?:x-amz-signature|x-amz-credential|x-amz-security-token|signature|nonce)=)[^&\s"]*/gi;
const MAX_DEPTH = 6;

/** Returns `value` with every secret removed, as the logger would print it. */
export function redact(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === "string") {
    let s = value.replace(URL_SECRET_PARAM, `$1${REDACTED}`);
    for (const secret of secrets) if (secret.length >= 4) s = s.split(secret).join(REDACTED);
    return s;
  }
  if (value instanceof Error) {
    return { name: value.name, message: redact(value.message, secrets, depth + 1) };
  }
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[truncated]";
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) ? REDACTED : redact(v, secrets, depth + 1);
  }
  return out;
}

/** Creates a logger writing JSON lines to `options.sink`. */
export function createLogger(options: LoggerOptions): Logger {
  const min = LEVELS[options.level ?? "info"];
  const clock = options.clock;
  const secrets = options.secrets ?? [];
  const base = options.fields ?? {};
  function write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (LEVELS[level] < min) return;
    const record = redact({ ...base, ...fields }, secrets) as Record<string, unknown>;
    options.sink(
      JSON.stringify({ ts: clock.now().toISOString(), level, msg: redact(msg, secrets), ...record }),
    );
  }
  return {
    debug: (msg, fields) => write("debug", msg, fields),
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}
