/**
 * Epoch math. Epochs are UTC-aligned windows of `epochSeconds` (default 4 h: 00, 04, ... 20 UTC); an
 * epoch's id is its start time as `YYYY-MM-DDTHH-MM-SS`, so 4-hour ids read `...THH-00-00` as in the RESI
 * API while short localnet epochs still get unique ids.
 *
 * The timeline of epoch N = [start, end):
 * - miners scrape during [start, submissionDeadline); submissionDeadline = end - uploadLeadSeconds;
 * - validators judge N during the next epoch, [end, end + length) (the validation window);
 * - scores of N drive weights from the start of N+2 (`weightsFrom`), so every validator switches at the
 *   same moment no matter how long its own judging took.
 *
 * Vectors: tests/vectors/epoch.json.
 * @module
 */

/** The default epoch length: 4 hours. */
export const DEFAULT_EPOCH_SECONDS = 14_400;
const DAY_SECONDS = 86_400;
const ID_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})$/;

/** Timing options shared by every epoch function. */
export interface EpochOptions {
  /** Epoch length; must divide a day so epochs stay aligned to 00:00 UTC. */
  epochSeconds: number;
  /** How long before the end uploads must be finished (the submission deadline). */
  uploadLeadSeconds: number;
}

/** Every moment of one epoch's life, in milliseconds since the Unix epoch. */
export interface Epoch {
  id: string;
  index: number;
  start: number;
  end: number;
  submissionDeadline: number;
  validationStart: number;
  validationEnd: number;
  weightsFrom: number;
}

/** Throws `RangeError` unless the options describe a valid, day-aligned epoch length and deadline. */
export function assertEpochOptions(options: EpochOptions): void {
  const { epochSeconds, uploadLeadSeconds } = options;
  if (!Number.isInteger(epochSeconds) || epochSeconds < 60 || DAY_SECONDS % epochSeconds !== 0) {
    throw new RangeError(
      `Invalid epoch length "${epochSeconds}": expected whole seconds >= 60 dividing 86400`,
    );
  }
  if (!Number.isInteger(uploadLeadSeconds) || uploadLeadSeconds < 0 || uploadLeadSeconds >= epochSeconds) {
    throw new RangeError(
      `Invalid upload lead "${uploadLeadSeconds}": expected whole seconds in [0, ${epochSeconds})`,
    );
  }
}

/** The epoch with the given index (epoch 0 starts at 1970-01-01T00:00:00Z). */
export function epochByIndex(index: number, options: EpochOptions): Epoch {
  assertEpochOptions(options);
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new RangeError(`Invalid epoch index "${index}": expected a non-negative integer`);
  }
  const length = options.epochSeconds * 1000;
  const start = index * length;
  const end = start + length;
  return {
    id: formatEpochId(start),
    index,
    start,
    end,
    submissionDeadline: end - options.uploadLeadSeconds * 1000,
    validationStart: end,
    validationEnd: end + length,
    weightsFrom: start + 2 * length,
  };
}

/** The epoch containing the instant `at` (ms since the Unix epoch, or a Date). */
export function epochAt(at: number | Date, options: EpochOptions): Epoch {
  const ms = typeof at === "number" ? at : at.getTime();
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Invalid instant "${ms}": expected ms >= 0`);
  return epochByIndex(Math.floor(ms / (options.epochSeconds * 1000)), options);
}

/** The epoch with id `id`; throws `SyntaxError` for a malformed id, `RangeError` for a misaligned one. */
export function epochById(id: string, options: EpochOptions): Epoch {
  const start = parseEpochId(id);
  const length = options.epochSeconds * 1000;
  if (start % length !== 0) {
    throw new RangeError(`Invalid epoch id "${id}": not on a ${options.epochSeconds}-second boundary`);
  }
  return epochByIndex(start / length, options);
}

/**
 * The epoch whose scores drive weights at instant `at`: epoch N's scores apply throughout epoch N+2.
 * Null before any epoch has been scored (the first two epochs of time).
 */
export function weightsEpochAt(at: number | Date, options: EpochOptions): Epoch | null {
  const current = epochAt(at, options);
  return current.index >= 2 ? epochByIndex(current.index - 2, options) : null;
}

/** Formats a start instant (ms) as an epoch id, `YYYY-MM-DDTHH-MM-SS` in UTC. */
export function formatEpochId(startMs: number): string {
  const d = new Date(startMs);
  if (Number.isNaN(d.getTime()) || startMs % 1000 !== 0) {
    throw new RangeError(`Cannot format epoch id for "${startMs}": expected whole seconds`);
  }
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}-${
    pad(d.getUTCMinutes())
  }-${pad(d.getUTCSeconds())}`;
}

/** Parses an epoch id into its start instant (ms); throws `SyntaxError` unless it is a real UTC time. */
export function parseEpochId(id: string): number {
  const m = ID_PATTERN.exec(id);
  if (!m) throw new SyntaxError(`Cannot parse epoch id "${id}": expected YYYY-MM-DDTHH-MM-SS`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (formatEpochId(ms) !== id || year < 1970) {
    throw new SyntaxError(`Cannot parse epoch id "${id}": not a valid UTC date and time`);
  }
  return ms;
}

/** True when `id` is a well-formed epoch id on a boundary of `epochSeconds`. */
export function isEpochId(id: string, options: Pick<EpochOptions, "epochSeconds">): boolean {
  try {
    return parseEpochId(id) % (options.epochSeconds * 1000) === 0;
  } catch (error) {
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}
