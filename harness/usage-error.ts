/**
 * A mistake in what the user asked for (an option, a file): the CLI prints the message alone and
 * exits with code 2, no stack trace.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
