import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../model/errors.js';

/**
 * Loads a user's module from a path given on the command line (a placement policy, an overcommit
 * policy): TypeScript through jiti without a build step, JavaScript by import(). A missing file or
 * one that fails to load is a one-line UsageError naming the option and `what` (e.g. 'policy file').
 */
export async function importUserModule(spec: string, option: string, what: string): Promise<Record<string, unknown>> {
  const path = resolve(spec);
  if (!existsSync(path)) throw new UsageError(`${option}: ${what} ${spec} does not exist`);
  try {
    if (['.ts', '.mts'].includes(extname(path))) {
      // jiti loads only for a TypeScript file: it is not needed otherwise, and takes a while to load.
      const { createJiti } = await import('jiti');
      const jiti = createJiti(import.meta.url, { interopDefault: false });
      return (await jiti.import(path)) as Record<string, unknown>;
    }
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`${option}: cannot load ${what} ${spec}: ${String((e as Error).message).split('\n')[0]}`);
  }
}
