/**
 * Upload policies issued ahead (issue 18): a miner asks while the API is up and holds, for the running
 * epoch and each of the next `UPLOAD_POLICIES_AHEAD`, a presigned POST confined to
 * `data/hotkey={hotkey}/epoch={that epoch}/` and expiring at that epoch's submission deadline, so it can
 * upload an epoch that starts while the API is down. Each is the same policy `/get-folder-access` issues,
 * only earlier (`minerUploadAhead` in `shared/epoch_windows.ts`): no policy outlives its epoch's deadline,
 * and none is issued for an epoch whose deadline has passed.
 * @module
 */
import type { Hono } from "hono";
import { buildCommitment } from "../../shared/commitment.ts";
import { ROUTES } from "../../shared/contract.ts";
import { epochByIndex } from "../../shared/epoch.ts";
import { minerEpochPrefix } from "../../shared/s3_keys.ts";
import type { HeldUploadPolicy } from "../../shared/schemas/s3_access.ts";
import { authenticate } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import type { EpochGate } from "../epoch_gate.ts";
import { ApiError } from "../errors.ts";

/** SigV4 presigned requests live at most 7 days. */
const MAX_POLICY_SECONDS = 7 * 24 * 3600;

/** Registers `POST /api/v1/s3-access/upload-policies-ahead`. */
export function registerUploadPoliciesAhead(app: Hono, deps: ApiDeps, gate: EpochGate): void {
  const { config, presigner, clock } = deps;
  const epochOptions = { epochSeconds: config.EPOCH_SECONDS, uploadLeadSeconds: config.UPLOAD_LEAD_SECONDS };

  app.post(ROUTES.uploadPoliciesAhead.path, async (c) => {
    const { input } = await authenticate(
      c,
      deps,
      ROUTES.uploadPoliciesAhead,
      (b) => [buildCommitment(ROUTES.uploadPoliciesAhead.auth.commitment, b)],
    );
    if (config.UPLOAD_POLICIES_AHEAD === 0) {
      throw new ApiError(404, "Upload policies are not issued ahead (UPLOAD_POLICIES_AHEAD=0)", "disabled");
    }
    const running = gate.current();
    // The running epoch after its deadline has no policy left; the epochs after it each get theirs.
    const first = clock.now().getTime() < running.submissionDeadline ? 0 : 1;
    const policies: HeldUploadPolicy[] = [];
    for (let k = first; k <= config.UPLOAD_POLICIES_AHEAD; k++) {
      const open = gate.require(epochByIndex(running.index + k, epochOptions), "minerUploadAhead");
      const seconds = open.seconds(MAX_POLICY_SECONDS);
      if (seconds < 1) continue;
      const folder = minerEpochPrefix(input.hotkey, open.epoch.id);
      const post = await presigner.presignPost({
        bucket: config.S3_BUCKET,
        keyPrefix: folder,
        minBytes: 1,
        maxBytes: config.MAX_UPLOAD_BYTES,
        expiresInSeconds: seconds,
      });
      policies.push({
        epoch_id: open.epoch.id,
        folder,
        url: post.url,
        fields: post.fields,
        expiry: post.expiresAt.toISOString(),
      });
    }
    return c.json({ success: true, policies });
  });
}
