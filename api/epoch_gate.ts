/**
 * The API's single gate onto `shared/epoch_windows.ts`: every route that issues a credential, a receipt or
 * accepts a record names the epoch and the action, and gets the epoch back only when that window is open
 * (403 with the window in the reason otherwise; 400 for a malformed or misaligned epoch id).
 * @module
 */
import { type Epoch, epochAt, epochById } from "../shared/epoch.ts";
import {
  type ActionWindow,
  checkWindow,
  credentialSeconds,
  type EpochAction,
  type WindowOptions,
} from "../shared/epoch_windows.ts";
import type { ApiDeps } from "./deps.ts";
import { ApiError } from "./errors.ts";

/** An open window of one epoch, and how long a credential issued now may live inside it. */
export interface OpenWindow {
  epoch: Epoch;
  window: ActionWindow;
  /** Seconds a credential issued now may live: at most `maxSeconds`, never past the window. */
  seconds(maxSeconds: number): number;
}

/** The gate, built once per app. */
export interface EpochGate {
  /** The epoch with `epochId`; 400 when the id is malformed or not on an epoch boundary. */
  epoch(epochId: string): Epoch;
  /** The epoch containing now. */
  current(): Epoch;
  /** The open window of `action` for `epochId` (or an `Epoch`), or a 403 naming the window. */
  require(epoch: string | Epoch, action: EpochAction): OpenWindow;
}

/** Creates the gate over the API's clock and epoch timing. */
export function createEpochGate(deps: Pick<ApiDeps, "config" | "clock">): EpochGate {
  const { config, clock } = deps;
  const epochOptions = { epochSeconds: config.EPOCH_SECONDS, uploadLeadSeconds: config.UPLOAD_LEAD_SECONDS };
  const windowOptions: WindowOptions = {
    evidenceLeadSeconds: config.EVIDENCE_LEAD_SECONDS,
    uploadPoliciesAhead: config.UPLOAD_POLICIES_AHEAD,
  };

  function epoch(epochId: string): Epoch {
    try {
      return epochById(epochId, epochOptions);
    } catch (error) {
      if (error instanceof RangeError || error instanceof SyntaxError) {
        throw new ApiError(400, error.message, "invalid_epoch");
      }
      throw error;
    }
  }

  return {
    epoch,
    current: () => epochAt(clock.now(), epochOptions),
    require(target, action) {
      const e = typeof target === "string" ? epoch(target) : target;
      const at = clock.now().getTime();
      const verdict = checkWindow(e, action, at, windowOptions);
      if (!verdict.open) throw new ApiError(403, verdict.message, `window_${verdict.reason}`);
      return {
        epoch: e,
        window: verdict.window,
        seconds: (maxSeconds) => credentialSeconds(verdict.window, clock.now().getTime(), maxSeconds),
      };
    },
  };
}
