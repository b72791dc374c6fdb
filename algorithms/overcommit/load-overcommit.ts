import type { OvercommitModule, OvercommitPolicy } from './overcommit-policy.js';
import { OVERCOMMIT_MODULES, overcommitModule } from './overcommit-registry.js';
import { overcommitError, OVERCOMMIT_OPTION, parseNumber } from './overcommit-settings.js';
import { ratioPolicy } from './allocation-ratios.js';
import { UsageError } from '../../model/errors.js';
import { importUserModule } from '../user-module.js';

/** A user module: a path ending .ts/.mts/.js/.mjs. */
function isModulePath(spec: string): boolean {
  return /\.(ts|mts|js|mjs)$/.test(spec);
}

/**
 * Resolves an `--overcommit` value to a policy; undefined or 'none' = no overcommit.
 * - `cpu=2,memory=1.2` or `ratio:cpu=2,memory=1.2`: allocation ratios; a bare number (`1.5`) is
 *   the same ratio for cpu and memory;
 * - `borg[:margin=0.1,...]`, `koordinator[:cpu=60,memory=65]`, `peak:<predictor>[:settings]`;
 * - a path ending .ts/.mts/.js/.mjs: a module exporting an OvercommitModule (default export or
 *   `overcommit`), loaded like a placement policy file (harness/load-policy.ts; TypeScript
 *   through jiti, no build step); its create() gets no settings.
 * Every mistake is a UsageError naming --overcommit and what was expected.
 */
export async function loadOvercommit(spec: string | undefined, resourceNames: readonly string[]): Promise<OvercommitPolicy | undefined> {
  if (spec === undefined || spec === 'none') return undefined;
  const text = spec.trim();
  if (text === '') throw overcommitError(spec, "expected 'none', allocation ratios (cpu=2,memory=1.2), borg, koordinator, peak:<predictor> or a .ts/.js module path");
  if (isModulePath(text)) return createChecked(await loadUserModule(text), undefined, resourceNames, text);
  if (!Number.isNaN(parseNumber(text))) return ratioPolicy(text, text, resourceNames);
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const settings = colon < 0 ? undefined : text.slice(colon + 1);
  const mod = overcommitModule(name);
  if (mod) return createChecked(mod, settings, resourceNames, text);
  if (text.includes('=')) return ratioPolicy(text, text, resourceNames);
  throw overcommitError(
    spec,
    `unknown overcommit policy '${name}'; expected none, ${OVERCOMMIT_MODULES.map((m) => (m.name === 'peak' ? 'peak:<predictor>' : m.name === 'ratio' ? 'cpu=<ratio>,memory=<ratio>' : m.name)).join(', ')} or a .ts/.js module path`,
  );
}

function createChecked(mod: OvercommitModule, settings: string | undefined, resources: readonly string[], spec: string): OvercommitPolicy {
  let policy: OvercommitPolicy;
  try {
    policy = mod.create(settings, resources);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw overcommitError(spec, `${mod.name}.create failed: ${String((e as Error).message).split('\n')[0]}`);
  }
  if (!policy || typeof policy !== 'object' || typeof policy.name !== 'string') {
    throw overcommitError(spec, `${mod.name}.create did not return an overcommit policy (an object with a name and any of ratio, charge, committed, usesBatch, batchAllocatable)`);
  }
  return policy;
}

async function loadUserModule(spec: string): Promise<OvercommitModule> {
  const mod = await importUserModule(spec, OVERCOMMIT_OPTION, 'overcommit module');
  const candidate = (mod.default ?? mod.overcommit) as Partial<OvercommitModule> | undefined;
  if (!candidate || typeof candidate !== 'object' || typeof candidate.create !== 'function' || typeof candidate.name !== 'string') {
    throw new UsageError(
      `${OVERCOMMIT_OPTION}: ${spec} does not export an overcommit module: expected \`export default { name, description, create(settings, resources) { return { name, ratio?, charge?, committed?, usesBatch?, batchAllocatable? } } }\` (or a named export \`overcommit\`)`,
    );
  }
  return { description: '', ...candidate } as OvercommitModule;
}
