/**
 * Where the miner gets its assignment: the API first; when the API is down or paused, the assignment it
 * cached for the epoch that is still running. Further sources (the validator relay, then the sealed plan
 * opened from drand: `sealed_source.ts`) plug in as `fallbacks`, tried in order before the cache.
 * @module
 */
import { join } from "node:path";
import { ApiClientError } from "../shared/api_client.ts";
import { SealedPlanUnavailableError } from "../shared/adapters/sealed_plans/sync.ts";
import type { Logger } from "../shared/log.ts";
import { type AssignmentResponse, AssignmentResponseSchema } from "../shared/schemas/zipcode_assignments.ts";
import { readJsonOrNull, writeJsonAtomic } from "../shared/adapters/node/json_file.ts";
import type { Clock } from "../shared/ports.ts";

/** An assignment and where it came from. */
export interface SourcedAssignment {
  assignment: AssignmentResponse;
  source: string;
}

/** Something that can hand out the current assignment. */
export interface AssignmentSource {
  readonly name: string;
  current(): Promise<AssignmentResponse>;
}

/** What the miner's source needs. */
export interface AssignmentDeps {
  api: AssignmentSource;
  fallbacks?: readonly AssignmentSource[];
  stateDir: string;
  clock: Clock;
  log: Logger;
}

/** The current assignment from the first source that answers, or the cache; null when none is usable. */
export function createAssignmentProvider(deps: AssignmentDeps) {
  const cachePath = join(deps.stateDir, "assignment.json");
  return {
    async current(): Promise<SourcedAssignment | null> {
      for (const source of [deps.api, ...(deps.fallbacks ?? [])]) {
        try {
          const assignment = await source.current();
          await writeJsonAtomic(cachePath, assignment);
          return { assignment, source: source.name };
        } catch (error) {
          // Unreachable, paused (503) or refusing: try the next source; a bug in our own code still throws.
          if (
            !(error instanceof ApiClientError || error instanceof TypeError || error instanceof SyntaxError ||
              error instanceof SealedPlanUnavailableError)
          ) {
            throw error;
          }
          deps.log.warn("assignment source failed", { source: source.name, error });
        }
      }
      const cached = await readJsonOrNull<unknown>(cachePath);
      const parsed = AssignmentResponseSchema.safeParse(cached);
      if (parsed.success && Date.parse(parsed.data.epochEnd) > deps.clock.now().getTime()) {
        return { assignment: parsed.data, source: "cache" };
      }
      return null;
    },
  };
}
