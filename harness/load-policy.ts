import { existsSync } from 'node:fs';
import { resolve, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createJiti } from 'jiti';
import type { PolicyModule } from '../algorithms/policy.js';
import { BUILTIN_POLICIES, builtinPolicy } from '../algorithms/registry.js';
import { UsageError } from '../model/errors.js';

/** Is this --policy value a file path rather than a built-in name? */
export function isPolicyPath(spec: string): boolean {
  return spec.includes('/') || spec.includes('\\') || /\.(ts|mts|js|mjs)$/.test(spec);
}

/**
 * Resolves a --policy value: a built-in name, or a TypeScript/JavaScript file exporting a
 * PolicyModule (as `default` or `policy`). TypeScript files are loaded through jiti, so users need
 * no build step. `option` names the option in error messages (compare checks its --policies with it).
 */
export async function loadPolicy(spec: string, option = '--policy'): Promise<PolicyModule> {
  if (!isPolicyPath(spec)) {
    const p = builtinPolicy(spec);
    if (!p) {
      throw new UsageError(`${option}: unknown policy '${spec}'; valid choices: ${BUILTIN_POLICIES.map((b) => b.name).join(', ')}, or a path to a .ts/.js policy file`);
    }
    return p;
  }
  const path = resolve(spec);
  if (!existsSync(path)) throw new UsageError(`${option}: policy file ${spec} does not exist`);
  let mod: Record<string, unknown>;
  try {
    if (['.ts', '.mts'].includes(extname(path))) {
      const jiti = createJiti(import.meta.url, { interopDefault: false });
      mod = (await jiti.import(path)) as Record<string, unknown>;
    } else {
      mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    }
  } catch (e) {
    throw new UsageError(`${option}: cannot load policy file ${spec}: ${String((e as Error).message).split('\n')[0]}`);
  }
  const candidate = (mod.default ?? mod.policy) as Partial<PolicyModule> | undefined;
  if (!candidate || typeof candidate !== 'object' || typeof candidate.create !== 'function' || typeof candidate.name !== 'string') {
    throw new UsageError(
      `${option}: ${spec} does not export a policy: expected \`export default { name, description, create(options) { return { name, select(task, cluster) } } }\` (or a named export \`policy\`); see examples/my-policy.ts`,
    );
  }
  return { description: '', ...candidate } as PolicyModule;
}
