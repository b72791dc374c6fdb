import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';
import { UsageError } from './errors.js';

export interface InstanceType {
  name: string;
  vcpu: number;
  memoryGiB: number;
  gpus: number;
  pricePerHour: number;
}

export interface InstanceCatalog {
  region: string;
  priceDate: string;
  currency: string;
  instances: Record<string, Omit<InstanceType, 'name'>>;
}

export function defaultCatalogPath(): string {
  return join(packageRoot(), 'model', 'instance-catalog.json');
}

/** Reads a catalog file (the shipped one by default) and checks every entry. */
export function loadCatalog(path = defaultCatalogPath()): InstanceCatalog {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--catalog: cannot read instance catalog ${path}: ${(e as Error).message}`);
  }
  const c = raw as InstanceCatalog;
  if (!c || typeof c !== 'object' || typeof c.instances !== 'object') {
    throw new UsageError(`--catalog: ${path} has no "instances" object`);
  }
  for (const [name, t] of Object.entries(c.instances)) {
    for (const field of ['vcpu', 'memoryGiB', 'pricePerHour'] as const) {
      if (typeof t[field] !== 'number' || !(t[field] >= 0)) {
        throw new UsageError(`--catalog: ${path}: instance ${name}: field ${field} must be a non-negative number`);
      }
    }
    t.gpus ??= 0;
  }
  return c;
}

export function instanceType(catalog: InstanceCatalog, name: string): InstanceType {
  const t = catalog.instances[name];
  if (!t) {
    throw new UsageError(`--instance: unknown instance type '${name}'; valid choices: ${Object.keys(catalog.instances).join(', ')}`);
  }
  return { name, ...t };
}
