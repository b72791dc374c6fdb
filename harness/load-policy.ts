import type { PolicyModule } from '../algorithms/policy.js';
import { BUILTIN_POLICIES, builtinPolicy } from '../algorithms/registry.js';
import { UsageError } from '../model/errors.js';
import { importUserModule } from '../algorithms/user-module.js';

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
  const mod = await importUserModule(spec, option, 'policy file');
  const candidate = (mod.default ?? mod.policy) as Partial<PolicyModule> | undefined;
  if (!candidate || typeof candidate !== 'object' || typeof candidate.create !== 'function' || typeof candidate.name !== 'string') {
    throw new UsageError(
      `${option}: ${spec} does not export a policy: expected \`export default { name, description, create(options) { return { name, select(task, cluster) } } }\` (or a named export \`policy\`); see examples/my-policy.ts`,
    );
  }
  return { description: '', ...candidate } as PolicyModule;
}
