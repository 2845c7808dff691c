/**
 * The Hono context of one route of the contract: lets a route's handler be its own function and still read
 * its path parameters typed from the route table.
 * @module
 */
import type { Context, Env } from "hono";
import type { ROUTES } from "../../shared/contract.ts";

/** The context of a request to `ROUTES[name]`. */
export type RouteContext<Name extends keyof typeof ROUTES> = Context<Env, (typeof ROUTES)[Name]["path"]>;
