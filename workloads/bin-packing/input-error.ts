import { InputError } from '../../model/errors.js';

export { InputError };

/**
 * A malformed instance file, as the shared InputError (file, 1-based line, field, what was
 * expected, what was found), so bin-packing readers and trace readers report alike.
 */
export function instanceError(file: string, line: number, field: string, expected: string, found?: string): InputError {
  return new InputError({ file, line, field, expected, got: found });
}
