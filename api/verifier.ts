/**
 * Where sr25519 signatures are checked. Verification is the API's dominant cost (about 0.4 ms of WASM per
 * request), so a self-hosted API moves it to worker threads (API_VERIFY_WORKERS) while the main isolate
 * keeps HTTP and the single KV writer; Deno Deploy, which scales isolates itself, verifies inline.
 * @module
 */
import { verifyHotkeySignature } from "../shared/signature.ts";

/** One signature to check against the messages it may cover. */
export interface VerifyJob {
  messages: string[];
  signature: string;
  hotkey: string;
}

/** Checks signatures, possibly off the main thread. */
export interface SignatureVerifier {
  verify(job: VerifyJob): Promise<boolean>;
  close(): void;
}

/** True when `job.signature` is the hotkey's signature over any of `job.messages`. */
export function checkJob(job: VerifyJob): boolean {
  return job.messages.some((message) =>
    verifyHotkeySignature({ message, signature: job.signature, hotkey: job.hotkey })
  );
}

/** Verifies on the calling thread (tests, Deno Deploy). */
export function createInlineVerifier(): SignatureVerifier {
  return { verify: (job) => Promise.resolve(checkJob(job)), close: () => {} };
}

/** Verifies on `count` worker threads, round robin; the workers load the WASM once each. */
export function createWorkerVerifier(count: number): SignatureVerifier {
  const pending = new Map<number, (ok: boolean) => void>();
  let nextId = 0;
  const workers = Array.from({ length: count }, (_, i) => {
    const worker = new Worker(new URL("./verifier_worker.ts", import.meta.url), {
      type: "module",
      name: `verifier-${i}`,
    });
    worker.onmessage = (event: MessageEvent<{ id: number; ok: boolean }>) => {
      pending.get(event.data.id)?.(event.data.ok);
      pending.delete(event.data.id);
    };
    return worker;
  });
  return {
    verify(job) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        workers[id % workers.length].postMessage({ id, job });
      });
    },
    close: () => workers.forEach((w) => w.terminate()),
  };
}
