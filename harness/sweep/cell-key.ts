import { createHash } from 'node:crypto';

/**
 * A cell's identity for resuming: the SHA-256 of its full configuration (the ReplaySpec, every
 * field) as canonical JSON — object keys sorted, undefined fields left out — so the same cell
 * gets the same key whatever order the config listed things in, and any change to what the cell
 * runs (a seed, a kubelet flag, a workload path) gives a new key. `schema` is part of the hash:
 * bumping it invalidates stored cells whose figures would no longer match.
 */
export function cellKey(spec: unknown, schema: string): string {
  return createHash('sha256').update(canonicalJson({ schema, spec })).digest('hex');
}

/** JSON with object keys sorted at every level; undefined members dropped (as JSON.stringify does). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}
