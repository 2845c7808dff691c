/**
 * The one rule that seals every epoch: for an epoch and an instant, which actions are open. Every API route
 * that hands out a credential, a receipt or accepts a record asks this module, so no route can open a
 * window of its own. All windows are half-open, `[from, until)`, in ms since the Unix epoch.
 *
 * For epoch N (see `epoch.ts` for the timeline):
 *
 * | action              | who       | from                         | until                               |
 * |---------------------|-----------|------------------------------|-------------------------------------|
 * | `minerUpload`       | miner     | start of N                   | submission deadline of N            |
| `minerUploadAhead`  | miner     | start of N - K epochs        | submission deadline of N            |
 * | `receipt`           | miner     | start of N                   | submission deadline of N            |
 * | `progress`          | miner     | start of N                   | end of N                            |
 * | `validatorRead`     | validator | submission deadline of N     | end of N's validation window (N+1)  |
 * | `validatorEvidence` | validator | end of N (validation start)  | evidence deadline (window end - lead)|
 * | `validatorReport`   | validator | end of N (validation start)  | end of N's validation window        |
 * | `calibration`       | validator | end of N (validation start)  | end of N's validation window        |
 *
 * So a validator judging N (reading N, writing its outputs for N) and a miner working on N+1 (writing N+1)
 * never share a folder: N+1's files are readable only after N+1's deadline, when no miner may write them.
 *
 * `minerUploadAhead` is the upload policy issued ahead (issue 18, K = `uploadPoliciesAhead`): held by the
 * miner for an outage, confined to N's folder and expiring at N's deadline like every other. S3 policies
 * have no start time, so it works before N starts too; that gains nothing, because what earns a receipt
 * needs N's nonce (unknown until N's plan opens) and receipts of either kind start at N's start.
 * @module
 */
import type { Epoch } from "./epoch.ts";

/** Everything that is allowed only inside an epoch's window. */
export type EpochAction =
  | "minerUpload"
  | "minerUploadAhead"
  | "receipt"
  | "progress"
  | "validatorRead"
  | "validatorEvidence"
  | "validatorReport"
  | "calibration";

/** Every action, in timeline order. */
export const EPOCH_ACTIONS: readonly EpochAction[] = [
  "minerUpload",
  "minerUploadAhead",
  "receipt",
  "progress",
  "validatorRead",
  "validatorEvidence",
  "validatorReport",
  "calibration",
];

/** Timing beyond the epoch itself. */
export interface WindowOptions {
  /** Evidence must be published this long before the validation window ends. */
  evidenceLeadSeconds: number;
  /** Epochs ahead of N from which N's upload policy may be issued (`minerUploadAhead`). @default {0} */
  uploadPoliciesAhead?: number;
}

/** A half-open window `[from, until)`. */
export interface ActionWindow {
  from: number;
  until: number;
}

/** What each action means, for refusals and the README. */
export const ACTION_LABELS: Record<EpochAction, string> = {
  minerUpload: "miner uploads",
  minerUploadAhead: "upload policies issued ahead",
  receipt: "submission receipts (COMPLETED)",
  progress: "progress reports (IN_PROGRESS, FAILED, TIMEOUT)",
  validatorRead: "validator reads of miner files",
  validatorEvidence: "validator evidence uploads",
  validatorReport: "validator report uploads",
  calibration: "validated counts (calibration)",
};

/** The window of `action` for `epoch`. */
export function actionWindow(epoch: Epoch, action: EpochAction, options: WindowOptions): ActionWindow {
  switch (action) {
    case "minerUpload":
    case "receipt":
      return { from: epoch.start, until: epoch.submissionDeadline };
    case "minerUploadAhead": {
      const ahead = (options.uploadPoliciesAhead ?? 0) * (epoch.end - epoch.start);
      return { from: epoch.start - ahead, until: epoch.submissionDeadline };
    }
    case "progress":
      return { from: epoch.start, until: epoch.end };
    case "validatorRead":
      return { from: epoch.submissionDeadline, until: epoch.validationEnd };
    case "validatorEvidence":
      return {
        from: epoch.validationStart,
        until: Math.max(epoch.validationStart, epoch.validationEnd - options.evidenceLeadSeconds * 1000),
      };
    case "validatorReport":
    case "calibration":
      return { from: epoch.validationStart, until: epoch.validationEnd };
  }
}

/** Where `at` lies relative to the window: before it opens, inside it, or after it closed. */
export type WindowVerdict =
  | { open: true; window: ActionWindow }
  | { open: false; window: ActionWindow; reason: "not_yet_open" | "closed"; message: string };

/** Whether `action` is open for `epoch` at `at`, with a human-readable reason when it is not. */
export function checkWindow(
  epoch: Epoch,
  action: EpochAction,
  at: number,
  options: WindowOptions,
): WindowVerdict {
  const window = actionWindow(epoch, action, options);
  if (at >= window.from && at < window.until) return { open: true, window };
  const iso = (ms: number) => new Date(ms).toISOString();
  return at < window.from
    ? {
      open: false,
      window,
      reason: "not_yet_open",
      message: `${ACTION_LABELS[action]} for epoch ${epoch.id} open at ${iso(window.from)}`,
    }
    : {
      open: false,
      window,
      reason: "closed",
      message: `${ACTION_LABELS[action]} for epoch ${epoch.id} closed at ${iso(window.until)}`,
    };
}

/** The actions open for `epoch` at `at`. */
export function openActions(epoch: Epoch, at: number, options: WindowOptions): EpochAction[] {
  return EPOCH_ACTIONS.filter((action) => checkWindow(epoch, action, at, options).open);
}

/**
 * The lifetime (whole seconds) of a credential issued at `at` for an open window: at most `maxSeconds`
 * and never past the window's end; 0 when less than a second is left (issue nothing then).
 */
export function credentialSeconds(window: ActionWindow, at: number, maxSeconds: number): number {
  return Math.max(0, Math.min(maxSeconds, Math.floor((window.until - at) / 1000)));
}
