/**
 * The OpenAPI 3.1 document, generated from the route table (`shared/contract.ts`) and its zod schemas, so
 * the docs cannot drift from what the API validates.
 * @module
 */
import { z } from "zod";
import { ERROR_BODY_SCHEMA, ROUTES, type RouteSpec } from "../shared/contract.ts";
import { commitmentTemplates } from "../shared/commitment.ts";

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
}

/** Builds the OpenAPI document for `version`. */
export function buildOpenApi(version: string): Record<string, unknown> {
  const templates = commitmentTemplates();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of Object.entries(ROUTES) as [string, RouteSpec][]) {
    const path = route.path.replace(/:([A-Za-z]+)/g, "{$1}");
    const params: unknown[] = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    if (route.query) {
      const schema = jsonSchema(route.query, "input") as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [param, s] of Object.entries(schema.properties ?? {})) {
        params.push({
          name: param,
          in: "query",
          required: schema.required?.includes(param) ?? false,
          schema: s,
        });
      }
    }
    const auth = route.auth
      ? `\n\nSigned by a ${route.auth.role} hotkey (sr25519, hex) over \`${
        templates[route.auth.commitment]
      }\`.`
      : "";
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId: name,
      summary: route.summary,
      description: `${route.summary}.${auth}`,
      tags: [route.tag],
      parameters: params,
      ...(route.body
        ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: jsonSchema(route.body, "input") } },
          },
        }
        : {}),
      responses: {
        "200": {
          description: "OK",
          content: {
            "application/json": { schema: route.response ? jsonSchema(route.response, "output") : {} },
          },
        },
        default: {
          description: "Error",
          content: { "application/json": { schema: jsonSchema(ERROR_BODY_SCHEMA, "output") } },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "zipmine API",
      version,
      description: "ZIP-code assignments, hotkey authentication and S3 credentials for the zipmine subnet. " +
        "Wire-compatible with the RESI subnet-46 API.",
    },
    paths,
  };
}
