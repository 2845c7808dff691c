/**
 * Upload policies held for an API outage (issue 18). While the API is up the miner fetches the policies of
 * the running and next epochs (`/api/v1/s3-access/upload-policies-ahead`) and keeps each in its state folder
 * (`upload_policies/{epochId}.json`); when `/get-folder-access` cannot be reached, the uploader takes the
 * running epoch's held policy instead. Each is confined to its epoch's folder and expires at that epoch's
 * deadline, so holding them grants nothing the API would not grant then. A refusal by the API (4xx) is
 * never overridden: only an unreachable API (network error, 5xx) falls back.
 * @module
 */
import { join } from "node:path";
import { type ApiClient, ApiClientError } from "../shared/api_client.ts";
import { epochAt, type EpochOptions } from "../shared/epoch.ts";
import type { Logger } from "../shared/log.ts";
import type { Clock } from "../shared/ports.ts";
import type { PostCredentials } from "../shared/adapters/s3/presigned_post.ts";
import { type HeldUploadPolicy, HeldUploadPolicySchema } from "../shared/schemas/s3_access.ts";

/** What the held policies need. */
export interface HeldPoliciesDeps {
  api: Pick<ApiClient, "folderAccess" | "uploadPoliciesAhead">;
  coldkey: string;
  stateDir: string;
  epochOptions: EpochOptions;
  clock: Clock;
  log: Logger;
}

/** The held policies: `sync` while the API is up, `credentials` for the uploader. */
export function createHeldPolicies(deps: HeldPoliciesDeps) {
  const dir = join(deps.stateDir, "upload_policies");
  const pathOf = (epochId: string) => join(dir, `${epochId}.json`);

  async function held(epochId: string): Promise<HeldUploadPolicy | null> {
    try {
      const parsed = HeldUploadPolicySchema.safeParse(JSON.parse(await Deno.readTextFile(pathOf(epochId))));
      return parsed.success && parsed.data.epoch_id === epochId ? parsed.data : null;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return null;
      throw error;
    }
  }

  /** Fetches and stores the policies issued ahead, and drops expired ones; failures are only logged. */
  async function sync(): Promise<void> {
    try {
      const { policies } = await deps.api.uploadPoliciesAhead(deps.coldkey);
      await Deno.mkdir(dir, { recursive: true });
      for (const p of policies) await Deno.writeTextFile(pathOf(p.epoch_id), JSON.stringify(p));
      for await (const entry of Deno.readDir(dir)) {
        const epochId = entry.name.replace(/\.json$/, "");
        const policy = await held(epochId);
        if (!policy || Date.parse(policy.expiry) <= deps.clock.now().getTime()) {
          await Deno.remove(join(dir, entry.name));
        }
      }
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      deps.log.warn("upload policies not refreshed", { error });
    }
  }

  /** The API's credentials for the running epoch, or, when the API cannot be reached, the held ones. */
  async function credentials(): Promise<PostCredentials> {
    try {
      const creds = await deps.api.folderAccess(deps.coldkey);
      return { url: creds.url, fields: creds.fields, expiry: creds.expiry };
    } catch (error) {
      if (error instanceof ApiClientError && error.status < 500) throw error;
      const epochId = epochAt(deps.clock.now().getTime(), deps.epochOptions).id;
      const policy = await held(epochId);
      if (!policy || Date.parse(policy.expiry) <= deps.clock.now().getTime()) throw error;
      deps.log.info("upload policy issued ahead used", { epochId, expiry: policy.expiry });
      return { url: policy.url, fields: policy.fields, expiry: policy.expiry };
    }
  }

  return { sync, credentials, held };
}
