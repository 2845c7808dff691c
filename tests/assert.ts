/**
 * The few assertions the tests need. `@std/assert` lives on JSR, out of reach here, so these wrap
 * `node:assert/strict` with std's names and argument order.
 * @module
 */
import nodeAssert from "node:assert/strict";

/** Fails unless `value` is truthy. */
export function assert(value: unknown, message?: string): asserts value {
  nodeAssert.ok(value, message as string);
}

/** Deep, strict equality (prototypes and types included). */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, message as string);
}

/** Strict inequality. */
export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, message as string);
}

/** Fails unless `text` matches `pattern`. */
export function assertMatch(text: string, pattern: RegExp, message?: string): void {
  nodeAssert.match(text, pattern, message ?? `Expected ${JSON.stringify(text)} to match ${pattern}`);
}

// deno-lint-ignore no-explicit-any
type ErrorClass = new (...args: any[]) => Error;

function checkError(error: unknown, errorClass?: ErrorClass, includes?: string): Error {
  if (!(error instanceof Error)) {
    throw new nodeAssert.AssertionError({ message: `Expected an Error: ${error}` });
  }
  if (errorClass && !(error instanceof errorClass)) {
    const got = error as Error;
    throw new nodeAssert.AssertionError({
      message: `Expected ${errorClass.name}, got ${got.name}: ${got.message}`,
    });
  }
  if (includes && !error.message.includes(includes)) {
    throw new nodeAssert.AssertionError({
      message: `Expected message to include "${includes}": ${error.message}`,
    });
  }
  return error;
}

/** Fails unless `fn` throws (an instance of `errorClass` whose message includes `includes`). */
export function assertThrows(fn: () => unknown, errorClass?: ErrorClass, includes?: string): Error {
  try {
    fn();
  } catch (error) {
    return checkError(error, errorClass, includes);
  }
  throw new nodeAssert.AssertionError({ message: "Expected the function to throw" });
}

/** Fails unless `fn` rejects (an instance of `errorClass` whose message includes `includes`). */
export async function assertRejects(
  fn: () => Promise<unknown>,
  errorClass?: ErrorClass,
  includes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return checkError(error, errorClass, includes);
  }
  throw new nodeAssert.AssertionError({ message: "Expected the promise to reject" });
}
