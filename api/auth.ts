/**
 * The authentication pipeline of every signed route, in the order the security review fixed:
 *
 *   schema -> timestamp window -> sr25519 signature -> metagraph freshness and membership
 *   (-> validator permit and stake) -> replay cache -> per-hotkey rate limit -> handler
 *
 * Nothing before the signature touches per-hotkey state, so unauthenticated traffic can never spend a
 * hotkey's quota; the pre-auth per-IP limiter (middleware/preauth_limit.ts) guards CPU instead.
 * @module
 */
import type { Context } from "hono";
import type { z } from "zod";
import type { RouteSpec } from "../shared/contract.ts";
import type { Neuron } from "../shared/schemas/metagraph.ts";
import type { ApiDeps } from "./deps.ts";
import { ApiError } from "./errors.ts";
import { admit } from "./stores/admission.ts";

/** A route that requires a signature. */
type SignedRoute = RouteSpec & { auth: NonNullable<RouteSpec["auth"]> };

/** The parsed input of a signed route: its query (GET) or its JSON body (POST). */
export type SignedInput<R> = R extends { query: infer Q extends z.ZodType } ? z.output<Q>
  : R extends { body: infer B extends z.ZodType } ? z.output<B>
  : never;

/** An authenticated request. */
export interface Authenticated<T> {
  input: T;
  neuron: Neuron;
}

/**
 * Runs the pipeline for `route` (its schema and role come from the route table); `commitments` gives the
 * messages a valid signature may cover for this input. Throws `ApiError` at the first failed step.
 */
export async function authenticate<R extends SignedRoute>(
  c: Context,
  deps: ApiDeps,
  route: R,
  commitments: (input: SignedInput<R>) => string[],
): Promise<Authenticated<SignedInput<R>>> {
  const failures = deps.metrics.counter(
    "zipmine_api_auth_failures_total",
    "Refused authenticated requests by reason",
  );
  const refuse: Refuse = (error) => {
    failures.inc({ reason: error.code });
    throw error;
  };
  const input = await parseInput(c, route, refuse);
  const nowMs = deps.clock.now().getTime();
  checkTimestamp(deps, input, nowMs, refuse);
  await checkSignature(deps, input, commitments, refuse);
  const neuron = checkMember(deps, route, input.hotkey, nowMs, refuse);
  await admitRequest(c, deps, route, input, nowMs, refuse);
  return { input, neuron };
}

/** Counts the refusal by its code and throws it. */
type Refuse = (error: ApiError) => never;

/** The signed fields every input carries. */
type Signed = { hotkey: string; signature: string; timestamp: number };

/** The input parsed with the route's schema (its query for GET, its JSON body for POST); 400 otherwise. */
async function parseInput<R extends SignedRoute>(
  c: Context,
  route: R,
  refuse: Refuse,
): Promise<SignedInput<R> & Signed> {
  const schema = ("query" in route ? route.query : route.body) as z.ZodType;
  const raw = "query" in route ? c.req.query() : await readJson(c);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
    refuse(new ApiError(400, `Invalid request: ${issues.join("; ")}`, "invalid_request"));
  }
  return parsed.data as SignedInput<R> & Signed;
}

/** Refuses a timestamp older than the signature's maximum age or too far ahead. */
function checkTimestamp(deps: ApiDeps, input: Signed, nowMs: number, refuse: Refuse): void {
  const { config } = deps;
  const nowS = Math.floor(nowMs / 1000);
  if (nowS - input.timestamp > config.SIGNATURE_MAX_AGE_SECONDS) {
    refuse(new ApiError(400, `Invalid timestamp: older than ${config.SIGNATURE_MAX_AGE_SECONDS} s`, "stale"));
  }
  if (input.timestamp - nowS > config.SIGNATURE_MAX_FUTURE_SECONDS) {
    refuse(
      new ApiError(
        400,
        `Invalid timestamp: more than ${config.SIGNATURE_MAX_FUTURE_SECONDS} s ahead`,
        "future",
      ),
    );
  }
}

/** Refuses a signature that covers none of the input's commitments. */
async function checkSignature<T extends Signed>(
  deps: ApiDeps,
  input: T,
  commitments: (input: T) => string[],
  refuse: Refuse,
): Promise<void> {
  let messages: string[];
  try {
    messages = commitments(input);
  } catch (error) {
    // A field the commitment cannot carry (":" in an id, an empty value) is the client's error.
    if (error instanceof RangeError) {
      refuse(new ApiError(400, `Invalid request: ${error.message}`, "invalid_request"));
    }
    throw error;
  }
  if (
    !(await deps.verifier.verify({ messages: messages!, signature: input.signature, hotkey: input.hotkey }))
  ) {
    refuse(new ApiError(401, "Invalid signature", "bad_signature"));
  }
}

/** The hotkey's neuron on a fresh metagraph, with a validator permit and enough stake where the route needs it. */
function checkMember(
  deps: ApiDeps,
  route: SignedRoute,
  hotkey: string,
  nowMs: number,
  refuse: Refuse,
): Neuron {
  const { config, metagraph } = deps;
  const age = metagraph.ageMs(nowMs);
  if (age === null || age > config.METAGRAPH_MAX_AGE_SECONDS * 1000) {
    refuse(
      new ApiError(
        503,
        "Metagraph is stale; authenticated routes are closed until it syncs",
        "metagraph_stale",
      ),
    );
  }
  const neuron = metagraph.lookup(hotkey);
  if (!neuron) {
    refuse(
      new ApiError(
        403,
        `Hotkey ${hotkey} is not registered on netuid ${config.NETUID}`,
        "unregistered",
      ),
    );
  }
  if (route.auth.role === "validator") {
    if (!neuron!.validatorPermit) refuse(new ApiError(403, "Validator permit required", "no_permit"));
    if (neuron!.stake < config.VALIDATOR_MIN_STAKE) {
      refuse(
        new ApiError(
          403,
          `Validator stake ${neuron!.stake} is below ${config.VALIDATOR_MIN_STAKE}`,
          "low_stake",
        ),
      );
    }
  }
  return neuron!;
}

/** Refuses a replayed signature and a hotkey over its rate limit; sets the rate-limit headers otherwise. */
async function admitRequest(
  c: Context,
  deps: ApiDeps,
  route: SignedRoute,
  input: Signed,
  nowMs: number,
  refuse: Refuse,
): Promise<void> {
  const { config } = deps;
  const routeClass = route.auth.role === "validator" ? "validator" : "miner";
  const limit = routeClass === "validator"
    ? config.VALIDATOR_RATE_LIMIT_PER_MINUTE
    : config.MINER_RATE_LIMIT_PER_MINUTE;
  const verdict = await admit(deps.kv, {
    signature: input.signature,
    hotkey: input.hotkey,
    routeClass,
    limitPerMinute: limit,
    nowMs,
    replayUntilMs: (input.timestamp + config.SIGNATURE_MAX_AGE_SECONDS + 1) * 1000,
  });
  if (!verdict.ok && verdict.reason === "replayed") {
    refuse(new ApiError(401, "Signature already used", "replayed"));
  }
  if (!verdict.ok && verdict.reason === "rate_limited") {
    refuse(
      new ApiError(429, "Too Many Requests", "rate_limited", {
        "X-RateLimit-Limit": String(verdict.limit),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": String(Math.ceil(verdict.resetMs / 1000)),
        "Retry-After": String(Math.max(1, Math.ceil((verdict.resetMs - nowMs) / 1000))),
      }),
    );
  }
  if (verdict.ok) {
    c.header("X-RateLimit-Limit", String(verdict.limit));
    c.header("X-RateLimit-Remaining", String(verdict.remaining));
    c.header("X-RateLimit-Reset", String(Math.ceil(verdict.resetMs / 1000)));
  }
}

/** Reads a JSON body, answering 400 for anything that is not a JSON object. */
export async function readJson(c: Context): Promise<unknown> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (error) {
    if (error instanceof SyntaxError) throw new ApiError(400, "Malformed JSON body", "malformed_json");
    throw error;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "Malformed JSON body: expected an object", "malformed_json");
  }
  return body;
}
