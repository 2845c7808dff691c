/**
 * A typed client of the zipmine API for miners and validators, built on the route table
 * (`contract.ts`): it signs each request with the hotkey exactly as the route's commitment says, sends it
 * the way RESI clients do (query parameters for GET, JSON for POST) and parses the answer with the
 * route's response schema. The transport is injected, so the client itself does no I/O.
 * @module
 */
import type { z } from "zod";
import { buildCommitment, type CommitmentKind, type CommitmentParams } from "./commitment.ts";
import { routePath, ROUTES, type RouteSpec } from "./contract.ts";
import { type KeyringPair, signMessage } from "./signature.ts";
import type { StatusRequest } from "./schemas/zipcode_assignments.ts";
import { minerManifestKey } from "./s3_keys.ts";
import type { Clock } from "./ports.ts";

/** What the client needs. */
export interface ApiClientDeps {
  baseUrl: string;
  pair: KeyringPair;
  clock: Clock;
  fetch: typeof fetch;
}

/** A non-2xx answer, with the API's reason. */
export class ApiClientError extends Error {
  constructor(readonly status: number, readonly detail: string, readonly route: string) {
    super(`${route} answered ${status}: ${detail}`);
    this.name = "ApiClientError";
  }
}

type Output<R extends RouteSpec> = R extends { response: infer S extends z.ZodType } ? z.output<S> : unknown;

/** Creates the client. */
export function createApiClient(deps: ApiClientDeps) {
  const call = createCaller(deps);
  return {
    /** The current epoch's assignment. */
    current: () => call(ROUTES.current, {}),
    /** A started epoch's assignment (validators). */
    epoch: (epochId: string) => call(ROUTES.epoch, { epochId }, { params: { epochId } }),
    /**
     * Reports progress; COMPLETED needs `manifestSha256` (and `manifestKey` for a part other than the
     * legacy `manifest.json`) and is signed over the status, the key and the hash.
     */
    status: (input: Omit<StatusRequest, "hotkey" | "signature" | "timestamp">) =>
      call(ROUTES.status, { epochId: input.epochId }, {
        body: input,
        ...receiptOf(deps.pair.address, input),
      }),
    /** Presigned POST credentials for the miner's own prefix. */
    folderAccess: (coldkey: string) =>
      call(ROUTES.folderAccess, { coldkey, hotkey: deps.pair.address }, {
        body: { coldkey },
      }),
    /** Upload policies for the running and next epochs, held for an API outage (issue 18). */
    uploadPoliciesAhead: (coldkey: string) =>
      call(ROUTES.uploadPoliciesAhead, { coldkey, hotkey: deps.pair.address }, {
        body: { coldkey },
      }),
    /** The revealed sampling seed (validators, after the deadline). */
    seed: (epochId: string) => call(ROUTES.seed, { epochId }, { params: { epochId } }),
    /** Server-attested submission receipts (validators). */
    submissions: (epochId: string) => call(ROUTES.submissions, { epochId }, { params: { epochId } }),
    /** One page of a miner's keys as a presigned list URL (validators). */
    minerList: (minerHotkey: string, options: { epochId?: string; continuationToken?: string } = {}) =>
      call(ROUTES.minerList, { minerHotkey }, {
        body: {
          miner_hotkey: minerHotkey,
          ...(options.epochId ? { epoch_id: options.epochId } : {}),
          ...(options.continuationToken ? { continuation_token: options.continuationToken } : {}),
        },
      }),
    /** Presigned GETs for up to 500 keys of one miner (validators). */
    fileUrls: (minerHotkey: string, keys: string[]) =>
      call(ROUTES.fileUrls, { minerHotkey }, {
        body: { miner_hotkey: minerHotkey, file_keys: keys },
      }),
    /**
     * Presigned POST for the validator's own epoch folder, or for the one output `file` in it (needed after
     * the evidence deadline, when a folder-wide policy is no longer issued).
     */
    validatorUpload: (epochId: string, file?: string) =>
      call(ROUTES.validatorUpload, {}, {
        body: { epochId, purpose: "epoch_validation_results", ...(file ? { file } : {}) },
      }),
    /** One page of another validator's published folder for an epoch (validators). */
    validatorOutputsList: (validatorHotkey: string, epochId: string, continuationToken?: string) =>
      call(ROUTES.validatorOutputsList, { validatorHotkey }, {
        body: {
          validator_hotkey: validatorHotkey,
          epoch_id: epochId,
          ...(continuationToken ? { continuation_token: continuationToken } : {}),
        },
      }),
    /** Presigned GETs for another validator's published files (validators). */
    validatorOutputsFiles: (validatorHotkey: string, keys: string[]) =>
      call(ROUTES.validatorOutputsFiles, { validatorHotkey }, {
        body: { validator_hotkey: validatorHotkey, file_keys: keys },
      }),
    /** Per-ZIP validated counts, for calibration (validators). */
    validatedCounts: (epochId: string, counts: { zipcode: string; validatedListings: number }[]) =>
      call(ROUTES.validatedCounts, { epochId }, { params: { epochId }, body: { counts } }),
  };
}

/** The status call's receipt commitment: a COMPLETED is signed over the status, the key and the hash. */
function receiptOf(hotkey: string, input: Omit<StatusRequest, "hotkey" | "signature" | "timestamp">) {
  if (input.status !== "COMPLETED") return {};
  return {
    receipt: {
      epochId: input.epochId,
      status: input.status,
      manifestKey: input.manifestKey ?? minerManifestKey(hotkey, input.epochId),
      manifestSha256: input.manifestSha256 ?? "",
    },
  };
}

/** The signed call of any route, for the client's methods. */
function createCaller(deps: ApiClientDeps) {
  const base = deps.baseUrl.replace(/\/+$/, "");

  /**
   * Signs with the route's own commitment kind, or its `receiptCommitment` when `receipt` is set (the
   * route table is the only owner of both).
   */
  async function call<R extends RouteSpec & { auth: NonNullable<RouteSpec["auth"]> }>(
    route: R,
    commitment: Omit<CommitmentParams[R["auth"]["commitment"]], "timestamp">,
    options: {
      params?: Record<string, string>;
      body?: Record<string, unknown>;
      receipt?: Omit<CommitmentParams["statusReceipt"], "timestamp">;
    } = {},
  ): Promise<Output<R>> {
    const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
    const kind = options.receipt ? route.auth.receiptCommitment : route.auth.commitment;
    if (!kind) throw new RangeError(`${route.path} has no receipt commitment`);
    const signature = signMessage(
      deps.pair,
      buildCommitment(
        kind,
        { ...(options.receipt ?? commitment), timestamp } as CommitmentParams[CommitmentKind],
      ),
    );
    const signed = { hotkey: deps.pair.address, signature, timestamp };
    const path = routePath(route.path, options.params);
    const response = route.method === "GET"
      ? await deps.fetch(`${base}${path}?${new URLSearchParams({ ...signed, timestamp: String(timestamp) })}`)
      : await deps.fetch(`${base}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ ...options.body, ...signed }),
      });
    return readAnswer(response, route, path);
  }

  return call;
}

/** The answer parsed with the route's schema; an `ApiClientError` with the API's reason for a non-2xx. */
async function readAnswer<R extends RouteSpec>(
  response: Response,
  route: R,
  path: string,
): Promise<Output<R>> {
  const text = await response.text();
  if (!response.ok) {
    let detail = text.slice(0, 500);
    try {
      detail = JSON.parse(text).detail ?? detail;
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
    throw new ApiClientError(response.status, detail, `${route.method} ${path}`);
  }
  const json = JSON.parse(text);
  return (route.response ? route.response.parse(json) : json) as Output<R>;
}

/** The client's type. */
export type ApiClient = ReturnType<typeof createApiClient>;
