import { parseQuantity, quantityToUnits } from '../../workloads/kubernetes/quantity.js';

/**
 * Between a dimension's amounts in the workload's units (model/resources.ts: millicores, bytes,
 * milli-GPU, pods) and Kubernetes quantity text (k8s.io/apimachinery resource.Quantity), for quota
 * files and for admission's messages.
 *
 * Reading: a quantity is in the resource's natural unit (cores, bytes, GPUs, pods), so `2` CPU is
 * 2,000 millicores and `500m` is 500; it rounds up to a whole unit as apimachinery's
 * MilliValue()/Value() do.
 *
 * Writing: Quantity.String() keeps the format a value was written in, which the model no longer
 * has, so amounts are shown canonically for their unit: milli units as whole units when exact
 * (`2`), else with the `m` suffix (`1500m`); bytes with the largest binary suffix that divides
 * them exactly (`8Gi`, `1536Mi`), else the largest exact decimal suffix (`1G`), else plain bytes.
 */

/** Workload units per 1 of a Kubernetes quantity, by the unit's name; undefined = no quantity reading. */
export function unitsPerQuantity(unit: string): number | undefined {
  switch (unit) {
    case 'millicores':
    case 'milli-gpu':
      return 1000;
    case 'bytes':
    case 'pods':
      return 1;
    default:
      return undefined;
  }
}

/** A quantity's text in workload units (rounded up), or null when it is not a non-negative quantity. */
export function quantityInUnits(text: string, perUnit: number): number | null {
  const q = parseQuantity(text);
  return q === null ? null : quantityToUnits(q, perUnit);
}

const BINARY: Array<[string, number]> = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];
const DECIMAL: Array<[string, number]> = [
  ['E', 1e18],
  ['P', 1e15],
  ['T', 1e12],
  ['G', 1e9],
  ['M', 1e6],
  ['k', 1e3],
];

/** Shows a non-integer amount (a source that keeps fractions) with at most three decimals. */
function plain(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}

/** An amount in the workload's `unit` as Kubernetes quantity text (see the module comment). */
export function quantityText(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  if (unit === 'millicores' || unit === 'milli-gpu') {
    if (!Number.isInteger(value)) return `${plain(value)}m`;
    return value % 1000 === 0 ? String(value / 1000) : `${value}m`;
  }
  if (unit === 'bytes' && Number.isInteger(value) && value !== 0) {
    for (const [suffix, size] of BINARY) if (Math.abs(value) >= size && value % size === 0) return `${value / size}${suffix}`;
    for (const [suffix, size] of DECIMAL) if (Math.abs(value) >= size && value % size === 0) return `${value / size}${suffix}`;
  }
  return plain(value);
}
