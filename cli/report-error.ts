import { UsageError } from '../model/errors.js';
import { PolicyError } from '../algorithms/policy.js';

/**
 * Prints an error the way a user should see it and returns the exit code: user mistakes
 * (options, input files, policies) get one line and code 2; anything else is a bug and keeps its
 * stack trace, code 1.
 */
export function reportError(e: unknown, ...userErrorTypes: Array<abstract new (...args: never[]) => Error>): number {
  const err = e instanceof Error ? e : new Error(String(e));
  const isUser =
    err instanceof UsageError ||
    err instanceof PolicyError ||
    err.name === 'InputError' ||
    err.name === 'UsageError' ||
    err.name === 'YError' ||
    userErrorTypes.some((t) => err instanceof t);
  if (isUser) {
    process.stderr.write(`schedlab: ${err.message}\n`);
    return 2;
  }
  process.stderr.write(`schedlab: internal error: ${err.stack ?? err.message}\n`);
  return 1;
}
