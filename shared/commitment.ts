/**
 * The signed messages ("commitments") of every authenticated endpoint, byte-exact with the RESI API that
 * today's miners and validators already sign (resi-api-contract section 1.1), plus zipmine's new routes in
 * the same style. A hotkey signs the UTF-8 bytes of the string; the timestamp is Unix seconds.
 *
 * The hotkey is missing from several legacy strings (e.g. `s3:validator:access:{ts}`); it is bound only by
 * the signature itself. Replays inside the timestamp window are stopped by the API's replay cache.
 *
 * Vectors: tests/vectors/commitment.json.
 * @module
 */

/** Every commitment the API accepts, with the parameters each one binds. */
export interface CommitmentParams {
  /** POST /get-folder-access (miner upload credentials). */
  folderAccess: { coldkey: string; hotkey: string; timestamp: number };
  /** POST /api/v1/s3-access/upload-policies-ahead (miner upload policies for an outage, issue 18). */
  uploadPoliciesAhead: { coldkey: string; hotkey: string; timestamp: number };
  /** POST /get-validator-access (global list URLs). */
  validatorAccess: { timestamp: number };
  /** POST /get-miner-specific-access, and zipmine's paginated listing and presigned GET routes. */
  minerSpecificAccess: { minerHotkey: string; timestamp: number };
  /** GET /api/v1/zipcode-assignments/current. */
  currentAssignment: { timestamp: number };
  /** GET /api/v1/zipcode-assignments/epoch/{epochId} (validators). */
  epochAssignment: { epochId: string; timestamp: number };
  /** POST /api/v1/zipcode-assignments/status (miners). */
  status: { epochId: string; timestamp: number };
  /**
   * POST /api/v1/zipcode-assignments/status with COMPLETED: binds the status, the part manifest's key and
   * its SHA-256, so a signature seen in transit cannot be re-used with another hash.
   */
  statusReceipt: {
    epochId: string;
    status: string;
    manifestKey: string;
    manifestSha256: string;
    timestamp: number;
  };
  /** Legacy form of the status commitment, documented by the RESI API until 2025-10-24. */
  legacyStatus: { hotkey: string; epochId: string; timestamp: number };
  /** POST /api/v1/s3-access/validator-upload. */
  validatorUpload: { timestamp: number };
  /** GET /api/v1/zipcode-assignments/epoch/{epochId}/seed (validators, after the deadline). */
  epochSeed: { epochId: string; timestamp: number };
  /** GET /api/v1/zipcode-assignments/epoch/{epochId}/submissions (validators). */
  epochSubmissions: { epochId: string; timestamp: number };
  /** POST /api/v1/zipcode-assignments/epoch/{epochId}/validated-counts (validators). */
  validatedCounts: { epochId: string; timestamp: number };
  /** POST /api/v1/s3-access/validator-outputs-list and -files: another validator's published outputs. */
  validatorOutputs: { validatorHotkey: string; timestamp: number };
}

/** The name of one commitment kind. */
export type CommitmentKind = keyof CommitmentParams;

const BUILDERS: { [K in CommitmentKind]: (p: CommitmentParams[K]) => string } = {
  folderAccess: (p) => `s3:data:access:${p.coldkey}:${p.hotkey}:${p.timestamp}`,
  uploadPoliciesAhead: (p) => `s3:data:access-ahead:${p.coldkey}:${p.hotkey}:${p.timestamp}`,
  validatorAccess: (p) => `s3:validator:access:${p.timestamp}`,
  minerSpecificAccess: (p) => `s3:validator:miner:${p.minerHotkey}:${p.timestamp}`,
  currentAssignment: (p) => `zipcode:assignment:current:${p.timestamp}`,
  epochAssignment: (p) => `zipcode:validation:${p.epochId}:${p.timestamp}`,
  status: (p) => `zipcode:status:${p.epochId}:${p.timestamp}`,
  statusReceipt: (p) =>
    `zipcode:receipt:${p.epochId}:${p.status}:${p.manifestKey}:${p.manifestSha256}:${p.timestamp}`,
  legacyStatus: (p) => `miner:status:${p.hotkey}:${p.epochId}:${p.timestamp}`,
  validatorUpload: (p) => `s3:validator:upload:${p.timestamp}`,
  epochSeed: (p) => `zipcode:seed:${p.epochId}:${p.timestamp}`,
  epochSubmissions: (p) => `zipcode:submissions:${p.epochId}:${p.timestamp}`,
  validatedCounts: (p) => `zipcode:validated-counts:${p.epochId}:${p.timestamp}`,
  validatorOutputs: (p) => `s3:validator:outputs:${p.validatorHotkey}:${p.timestamp}`,
};

/** Builds the exact message a hotkey signs for `kind`. */
export function buildCommitment<K extends CommitmentKind>(kind: K, params: CommitmentParams[K]): string {
  if (!Number.isSafeInteger(params.timestamp)) {
    throw new RangeError(
      `Cannot build a "${kind}" commitment: timestamp "${params.timestamp}" is not an integer`,
    );
  }
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === "string" && (value.length === 0 || value.includes(":"))) {
      throw new RangeError(
        `Cannot build a "${kind}" commitment: ${name} "${value}" is empty or contains ":"`,
      );
    }
  }
  return BUILDERS[kind](params);
}

/**
 * The messages a valid signature for the status route may cover. COMPLETED earns a receipt, so it must be
 * signed over the status, the manifest key and hash (`statusReceipt`); the other statuses earn nothing and
 * keep RESI's forms (`zipcode:status:` and the legacy `miner:status:`), which cost no security there.
 */
export function statusCommitments(
  params: CommitmentParams["legacyStatus"] & {
    status: string;
    manifestKey?: string;
    manifestSha256?: string;
  },
): string[] {
  const { hotkey, epochId, timestamp } = params;
  if (params.status === "COMPLETED") {
    if (!params.manifestKey || !params.manifestSha256) {
      throw new RangeError("a COMPLETED status needs manifestSha256, the SHA-256 of the uploaded manifest");
    }
    return [buildCommitment("statusReceipt", {
      epochId,
      status: params.status,
      manifestKey: params.manifestKey,
      manifestSha256: params.manifestSha256,
      timestamp,
    })];
  }
  return [
    buildCommitment("status", { epochId, timestamp }),
    buildCommitment("legacyStatus", { hotkey, epochId, timestamp }),
  ];
}

/** Human-readable templates of every commitment, for `/commitment-formats` and the docs. */
export function commitmentTemplates(): Record<CommitmentKind, string> {
  const sample = (name: string) => `{${name}}`;
  const out = {} as Record<CommitmentKind, string>;
  for (const kind of Object.keys(BUILDERS) as CommitmentKind[]) {
    const placeholders = new Proxy({}, {
      get: (_t, prop) => (typeof prop === "string" ? sample(prop) : undefined),
    });
    out[kind] = (BUILDERS[kind] as (p: unknown) => string)(placeholders);
  }
  return out;
}
