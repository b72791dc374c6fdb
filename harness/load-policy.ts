import type { PolicyModule } from '../algorithms/policy.js';
import { BUILTIN_POLICIES, builtinPolicy } from '../algorithms/registry.js';
import { UsageError } from '../model/errors.js';
import { importUserModule } from '../algorithms/user-module.js';
import { learnedPolicy } from '../algorithms/learned/learned-policy.js';
import { pretrainedModelDir, readModelDir } from '../algorithms/learned/model-file.js';

/** `learned` (the shipped pretrained model) or `learned:DIR` (a trained model directory). */
export function isLearnedSpec(spec: string): boolean {
  return spec === 'learned' || spec.startsWith('learned:');
}

/** Is this --policy value a file path rather than a built-in name? */
export function isPolicyPath(spec: string): boolean {
  if (isLearnedSpec(spec)) return false;
  return spec.includes('/') || spec.includes('\\') || /\.(ts|mts|js|mjs)$/.test(spec);
}

/**
 * Resolves a --policy value: a built-in name, `learned[:DIR]` (the learned placement policy with the
 * pretrained model or the one in DIR, algorithms/learned/), or a TypeScript/JavaScript file exporting a
 * PolicyModule (as `default` or `policy`). TypeScript files are loaded through jiti, so users need
 * no build step. `option` names the option in error messages (compare checks its --policies with it).
 */
export async function loadPolicy(spec: string, option = '--policy'): Promise<PolicyModule> {
  if (isLearnedSpec(spec)) {
    const dir = spec === 'learned' ? pretrainedModelDir() : spec.slice('learned:'.length);
    if (dir === '') throw new UsageError(`${option}: 'learned:' needs a model directory (learned:DIR), or give 'learned' for the pretrained model`);
    // Read now, so a broken model directory is reported before any run starts.
    const model = readModelDir(dir, `${option} ${spec}`);
    return spec === 'learned' ? builtinPolicy('learned')! : learnedPolicy(model);
  }
  if (!isPolicyPath(spec)) {
    const p = builtinPolicy(spec);
    if (!p) {
      throw new UsageError(`${option}: unknown policy '${spec}'; valid choices: ${BUILTIN_POLICIES.map((b) => b.name).join(', ')}, learned:DIR, or a path to a .ts/.js policy file`);
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
