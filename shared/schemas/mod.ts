/**
 * Every wire message of zipmine as a zod schema, one file per resource; TypeScript types derive from them.
 * @module
 */
export * from "./common.ts";
export * from "./zipcode_assignments.ts";
export * from "./s3_access.ts";
export * from "./health.ts";
export * from "./listing.ts";
export * from "./manifest.ts";
export * from "./report.ts";
export * from "./zip_universe.ts";
export * from "./metagraph.ts";
export * from "./dashboard.ts";
export * from "./synapse.ts";
export * from "./signed_assignment.ts";
export * from "./evidence.ts";
