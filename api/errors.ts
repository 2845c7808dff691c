/**
 * The API's one error type and the body every error response carries: FastAPI's `detail` for the RESI [A]
 * clients and NestJS's `statusCode`/`message`/`error` for the [C] clients. Internals never leak: an
 * unexpected error becomes a bare 500 and is logged with the request id.
 * @module
 */
import type { ErrorBody } from "../shared/schemas/common.ts";

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** An expected failure with the status and the message the client should see. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503,
    message: string,
    /** A short machine label for metrics, e.g. `bad_signature`. */
    readonly code: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The error body both client families parse. */
export function errorBody(status: number, message: string): ErrorBody {
  return { detail: message, statusCode: status, message, error: REASONS[status] ?? "Error" };
}
