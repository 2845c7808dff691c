/**
 * The API's route table: method, path, who may call it, the commitment it is signed with, and the zod
 * schemas of its request and response. The API registers its handlers at these paths, clients call these
 * paths, and `/openapi.json` is generated from this table, so no path or field is restated anywhere.
 * @module
 */
import type { z } from "zod";
import type { CommitmentKind } from "./commitment.ts";
import { ErrorBodySchema } from "./schemas/common.ts";
import {
  DashboardCurrentSchema,
  DashboardEpochsQuerySchema,
  DashboardEpochsSchema,
} from "./schemas/dashboard.ts";
import { HealthResponseSchema } from "./schemas/health.ts";
import {
  PublicFilesRequestSchema,
  PublicMinerListQuerySchema,
  PublicRecordResponseSchema,
} from "./schemas/public_record.ts";
import { SealedPlansResponseSchema } from "./schemas/sealed_plan.ts";
import {
  FileUrlsRequestSchema,
  FileUrlsResponseSchema,
  FolderAccessRequestSchema,
  FolderAccessResponseSchema,
  MinerListRequestSchema,
  MinerListResponseSchema,
  MinerSpecificAccessRequestSchema,
  MinerSpecificAccessResponseSchema,
  UploadPoliciesAheadResponseSchema,
  ValidatorAccessRequestSchema,
  ValidatorAccessResponseSchema,
  ValidatorOutputsFilesRequestSchema,
  ValidatorOutputsFilesResponseSchema,
  ValidatorOutputsListRequestSchema,
  ValidatorOutputsListResponseSchema,
  ValidatorUploadRequestSchema,
  ValidatorUploadResponseSchema,
} from "./schemas/s3_access.ts";
import {
  PublicKeyResponseSchema,
  SeedResponseSchema,
  SignedAssignmentResponseSchema,
  SignedQuerySchema,
  StatsResponseSchema,
  StatusRequestSchema,
  StatusResponseSchema,
  SubmissionsResponseSchema,
  ValidatedCountsRequestSchema,
} from "./schemas/zipcode_assignments.ts";

/** One route of the API. */
export interface RouteSpec {
  method: "GET" | "POST";
  /** Hono-style path (`:param`). */
  path: string;
  summary: string;
  tag: "Zipcode Assignments" | "S3 Access" | "Dashboard" | "System";
  /** Absent for public routes. */
  /** `receiptCommitment`: the stronger form a status that earns a receipt (COMPLETED) must be signed with. */
  auth?: { role: "registered" | "validator"; commitment: CommitmentKind; receiptCommitment?: CommitmentKind };
  query?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
}

const ZA = "/api/v1/zipcode-assignments";

/** Every route, by name. */
export const ROUTES = {
  current: {
    method: "GET",
    path: `${ZA}/current`,
    summary: "The current epoch's assignment: ZIP codes, nonce, deadline",
    tag: "Zipcode Assignments",
    auth: { role: "registered", commitment: "currentAssignment" },
    query: SignedQuerySchema,
    response: SignedAssignmentResponseSchema,
  },
  epoch: {
    method: "GET",
    path: `${ZA}/epoch/:epochId`,
    summary: "A started epoch's assignment (validators)",
    tag: "Zipcode Assignments",
    auth: { role: "validator", commitment: "epochAssignment" },
    query: SignedQuerySchema,
    response: SignedAssignmentResponseSchema,
  },
  status: {
    method: "POST",
    path: `${ZA}/status`,
    summary: "Miner progress; COMPLETED with the manifest SHA-256 earns a server-timed receipt",
    tag: "Zipcode Assignments",
    auth: { role: "registered", commitment: "status", receiptCommitment: "statusReceipt" },
    body: StatusRequestSchema,
    response: StatusResponseSchema,
  },
  stats: {
    method: "GET",
    path: `${ZA}/stats`,
    summary: "Public epoch timing and ZIP statistics (no nonce, no seed)",
    tag: "Zipcode Assignments",
    response: StatsResponseSchema,
  },
  submissions: {
    method: "GET",
    path: `${ZA}/epoch/:epochId/submissions`,
    summary: "Server-attested submission receipts of an epoch (validators)",
    tag: "Zipcode Assignments",
    auth: { role: "validator", commitment: "epochSubmissions" },
    query: SignedQuerySchema,
    response: SubmissionsResponseSchema,
  },
  seed: {
    method: "GET",
    path: `${ZA}/epoch/:epochId/seed`,
    summary: "The epoch's sampling seed, after the submission deadline (validators)",
    tag: "Zipcode Assignments",
    auth: { role: "validator", commitment: "epochSeed" },
    query: SignedQuerySchema,
    response: SeedResponseSchema,
  },
  validatedCounts: {
    method: "POST",
    path: `${ZA}/epoch/:epochId/validated-counts`,
    summary: "Per-ZIP validated listing counts, used to recalibrate expected counts (validators)",
    tag: "Zipcode Assignments",
    auth: { role: "validator", commitment: "validatedCounts" },
    body: ValidatedCountsRequestSchema,
  },
  folderAccess: {
    method: "POST",
    path: "/get-folder-access",
    summary: "A presigned POST confined to the miner's own prefix",
    tag: "S3 Access",
    auth: { role: "registered", commitment: "folderAccess" },
    body: FolderAccessRequestSchema,
    response: FolderAccessResponseSchema,
  },
  uploadPoliciesAhead: {
    method: "POST",
    path: "/api/v1/s3-access/upload-policies-ahead",
    summary: "Upload policies for the running and next UPLOAD_POLICIES_AHEAD epochs, held for an API outage",
    tag: "S3 Access",
    auth: { role: "registered", commitment: "uploadPoliciesAhead" },
    body: FolderAccessRequestSchema,
    response: UploadPoliciesAheadResponseSchema,
  },
  validatorAccess: {
    method: "POST",
    path: "/get-validator-access",
    summary: "Presigned list URLs over every miner's data (validators)",
    tag: "S3 Access",
    auth: { role: "validator", commitment: "validatorAccess" },
    body: ValidatorAccessRequestSchema,
    response: ValidatorAccessResponseSchema,
  },
  minerSpecificAccess: {
    method: "POST",
    path: "/get-miner-specific-access",
    summary: "A presigned list URL over one miner's prefix (validators)",
    tag: "S3 Access",
    auth: { role: "validator", commitment: "minerSpecificAccess" },
    body: MinerSpecificAccessRequestSchema,
    response: MinerSpecificAccessResponseSchema,
  },
  minerList: {
    method: "POST",
    path: "/api/v1/s3-access/miner-list",
    summary: "A freshly signed list URL for one page of a miner's prefix (continuation tokens)",
    tag: "S3 Access",
    auth: { role: "validator", commitment: "minerSpecificAccess" },
    body: MinerListRequestSchema,
    response: MinerListResponseSchema,
  },
  fileUrls: {
    method: "POST",
    path: "/api/v1/s3-access/file-urls",
    summary: "Presigned GET URLs for up to 500 keys of one miner (validators)",
    tag: "S3 Access",
    auth: { role: "validator", commitment: "minerSpecificAccess" },
    body: FileUrlsRequestSchema,
    response: FileUrlsResponseSchema,
  },
  validatorUpload: {
    method: "POST",
    path: "/api/v1/s3-access/validator-upload",
    summary: "A presigned POST confined to the validator's own folder for one epoch",
    tag: "S3 Access",
    auth: { role: "validator", commitment: "validatorUpload" },
    body: ValidatorUploadRequestSchema,
    response: ValidatorUploadResponseSchema,
  },
  validatorOutputsList: {
    method: "POST",
    path: "/api/v1/s3-access/validator-outputs-list",
    summary: "A list URL over another validator's published folder for one epoch (validators)",
    tag: "S3 Access",
    auth: { role: "validator", commitment: "validatorOutputs" },
    body: ValidatorOutputsListRequestSchema,
    response: ValidatorOutputsListResponseSchema,
  },
  validatorOutputsFiles: {
    method: "POST",
    path: "/api/v1/s3-access/validator-outputs-files",
    summary: "Presigned GET URLs for up to 500 of a validator's published files (validators)",
    tag: "S3 Access",
    auth: { role: "validator", commitment: "validatorOutputs" },
    body: ValidatorOutputsFilesRequestSchema,
    response: ValidatorOutputsFilesResponseSchema,
  },
  publicRecord: {
    method: "GET",
    path: "/api/v1/public-record/:epochId",
    summary: "Presigned GETs of every validator's outputs for an epoch whose validation window has closed",
    tag: "S3 Access",
    response: PublicRecordResponseSchema,
  },
  publicRecordMinerList: {
    method: "GET",
    path: "/api/v1/public-record/:epochId/miners/:hotkey",
    summary: "A list URL over one miner's folder of a closed epoch (public, as miner-list)",
    tag: "S3 Access",
    query: PublicMinerListQuerySchema,
    response: MinerListResponseSchema,
  },
  publicRecordFiles: {
    method: "POST",
    path: "/api/v1/public-record/:epochId/files",
    summary: "Presigned GETs for up to 500 of one miner's files of a closed epoch (public, as file-urls)",
    tag: "S3 Access",
    body: PublicFilesRequestSchema,
    response: FileUrlsResponseSchema,
  },
  publicKey: {
    method: "GET",
    path: "/api/v1/public-key",
    summary: "The address the API signs assignments with (miners verify relayed assignments against it)",
    tag: "System",
    response: PublicKeyResponseSchema,
  },
  sealedPlans: {
    method: "GET",
    path: "/api/v1/sealed-plans",
    summary:
      "Upcoming epochs' plans and seeds, timelock-encrypted to drand rounds and signed (public: sealed)",
    tag: "Zipcode Assignments",
    response: SealedPlansResponseSchema,
  },
  dashboardCurrent: {
    method: "GET",
    path: "/api/v1/dashboard/current",
    summary: "The dashboard's current epoch: timing, assigned ZIP codes, miner progress (no nonce, no seed)",
    tag: "Dashboard",
    response: DashboardCurrentSchema,
  },
  dashboardEpochs: {
    method: "GET",
    path: "/api/v1/dashboard/epochs",
    summary: "Recent ended epochs with the validators' published verdicts: winners, scores, agreement",
    tag: "Dashboard",
    query: DashboardEpochsQuerySchema,
    response: DashboardEpochsSchema,
  },
  health: {
    method: "GET",
    path: "/healthcheck",
    summary: "Liveness and readiness: KV, metagraph age, current and next epoch",
    tag: "System",
    response: HealthResponseSchema,
  },
} as const satisfies Record<string, RouteSpec>;

/** The error body every failing route returns. */
export const ERROR_BODY_SCHEMA = ErrorBodySchema;

/** Fills a Hono-style path's `:params`. */
export function routePath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new RangeError(`Cannot build path "${path}": missing "${name}"`);
    return encodeURIComponent(value);
  });
}
