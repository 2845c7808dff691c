/**
 * A signature-verification thread of the API (see `verifier.ts`).
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { cryptoReady } from "../shared/signature.ts";
import { checkJob, type VerifyJob } from "./verifier.ts";

const ready = cryptoReady();

self.onmessage = async (event: MessageEvent<{ id: number; job: VerifyJob }>) => {
  await ready;
  self.postMessage({ id: event.data.id, ok: checkJob(event.data.job) });
};
