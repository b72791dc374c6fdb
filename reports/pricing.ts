import type { InstanceCatalog } from '../model/instance-catalog.js';
import type { ResourceSchema } from '../model/resources.js';
import { GiB } from '../model/units.js';
import type { MachineSpec } from '../model/machine.js';
import { formatPrice } from './cost.js';

/**
 * What each machine of a replay costs an hour, by a stated rule (../shared/docs/models.md, "Cost":
 * cost = Σ node-hours × hourly price, prices from the editable catalog). In order:
 *
 * 1. **instance type**: a machine that names a catalog instance type (a Kubernetes Node's
 *    `node.kubernetes.io/instance-type` label, the nodes generated from `--instance`) is priced as
 *    that instance.
 * 2. **cheapest covering instance**: any other machine (trace machines have shapes, not types; a
 *    type the catalog does not list, e.g. `t3.small`, is named in the report) is priced as the
 *    cheapest catalog instance with at least its cores, memory and GPUs — what renting it would
 *    cost at least. A Google 2011 machine of 16 cores and 63.9 GiB is an m5.4xlarge.
 * 3. **per vCPU-hour and GiB-hour**: a machine no catalog instance covers (Alibaba's 96-core
 *    machines, a 128-processor SWF pool) is priced per core and per GiB at rates fitted to the
 *    catalog: the least-squares fit, without intercept, of price = a · vCPU + b · GiB over the
 *    catalog's instances without GPUs (a linear price model over instance attributes). For the
 *    shipped catalog a = $0.03395 per vCPU-hour and b = $0.00354 per GiB-hour, which reprices
 *    its m5 instances within 0.3%. GPUs have no such rate (the catalog has no GPU instance to fit
 *    it on): they are left unpriced and counted.
 *
 * A replay that passes a single price instead (the library's `pricing.pricePerHour`, as tests do)
 * prices every machine at it: the rule "every machine as <instance>".
 */
export type PricingRule = 'instance type' | 'cheapest covering instance' | 'per vCPU-hour and GiB-hour' | 'one price for every machine';

export interface MachinePrice {
  pricePerHour: number;
  rule: PricingRule;
  /** The catalog instance the machine is priced as (rules 1 and 2, and the single-price rule). */
  instance?: string;
}

/** Per-resource rates fitted to a catalog (rule 3). */
export interface ResourceRates {
  perVcpuHour: number;
  perGiBHour: number;
  /** How the rates were derived, for the report. */
  method: string;
}

/** A machine's size in the catalog's terms. */
export interface MachineShape {
  cores: number;
  memoryGiB: number;
  gpus: number;
}

export interface PricedShape extends MachineShape, MachinePrice {
  /** The instance type the machine itself names (may be absent from the catalog). */
  instanceType?: string;
  machines: number;
}

export interface PricingReport {
  /** Distinct machines priced by each rule, most first. */
  rules: Array<{ rule: PricingRule; machines: number }>;
  /** Distinct machines by shape and price, most first. */
  shapes: PricedShape[];
  /** Instance types machines named that the catalog does not list (priced by shape instead). */
  unknownTypes: Record<string, number>;
  /** Machines with GPUs priced per vCPU and GiB, whose GPUs are not priced. */
  unpricedGpuMachines: number;
  rates: ResourceRates;
}

/**
 * Least squares without intercept: minimize Σ (a·v + b·m − p)² over the catalog's instances
 * without GPUs, solved by the 2 × 2 normal equations. When the catalog cannot separate the two
 * (every instance with the same memory per vCPU, or a fit with a negative rate), the rate is per
 * vCPU only: Σ v·p / Σ v², memory unpriced.
 */
export function fitResourceRates(catalog: InstanceCatalog): ResourceRates {
  let vv = 0;
  let vm = 0;
  let mm = 0;
  let vp = 0;
  let mp = 0;
  let n = 0;
  for (const t of Object.values(catalog.instances)) {
    if ((t.gpus ?? 0) > 0 || !(t.vcpu > 0)) continue;
    n++;
    vv += t.vcpu * t.vcpu;
    vm += t.vcpu * t.memoryGiB;
    mm += t.memoryGiB * t.memoryGiB;
    vp += t.vcpu * t.pricePerHour;
    mp += t.memoryGiB * t.pricePerHour;
  }
  if (n === 0) return { perVcpuHour: NaN, perGiBHour: NaN, method: 'the catalog has no instance without GPUs: no per-resource rates' };
  const det = vv * mm - vm * vm;
  if (Math.abs(det) > 1e-9 * vv * mm) {
    const a = (vp * mm - mp * vm) / det;
    const b = (mp * vv - vp * vm) / det;
    if (a > 0 && b >= 0) {
      return { perVcpuHour: a, perGiBHour: b, method: `least squares, no intercept, over the catalog's ${n} instances without GPUs` };
    }
  }
  return {
    perVcpuHour: vp / vv,
    perGiBHour: 0,
    method: `per vCPU only (least squares over the catalog's ${n} instances without GPUs, which cannot separate memory from CPU)`,
  };
}

/** Prices machines by the rules above, caching by type and shape, and counts what it priced. */
export class MachinePricer {
  readonly rates: ResourceRates;
  private readonly catalog: InstanceCatalog;
  private readonly cpu: number;
  private readonly mem: number;
  private readonly gpu: number;
  private readonly byKey = new Map<string, { shape: PricedShape; price: Readonly<MachinePrice> }>();
  private readonly seen = new Set<string>();
  private readonly unknown: Record<string, number> = {};
  private readonly single?: { instance: string; pricePerHour: number };

  constructor(catalog: InstanceCatalog, resources: ResourceSchema, single?: { instance: string; pricePerHour: number }) {
    this.catalog = catalog;
    this.rates = fitResourceRates(catalog);
    this.cpu = unitIndex(resources, 'cpu', 'millicores');
    this.mem = unitIndex(resources, 'memory', 'bytes');
    this.gpu = unitIndex(resources, 'gpu', 'milli-gpu');
    this.single = single;
  }

  /** A pricer with one price for every machine (no catalog lookups). */
  static uniform(instance: string, pricePerHour: number, resources: ResourceSchema): MachinePricer {
    return new MachinePricer({ region: '', priceDate: '', currency: 'USD', instances: {} }, resources, { instance, pricePerHour });
  }

  shapeOf(m: MachineSpec): MachineShape {
    const c = m.capacity;
    return {
      cores: this.cpu >= 0 ? c[this.cpu] / 1000 : 0,
      memoryGiB: this.mem >= 0 ? c[this.mem] / GiB : 0,
      gpus: this.gpu >= 0 ? c[this.gpu] / 1000 : 0,
    };
  }

  /** The hourly price of a machine; each distinct machine id is counted once in the report. */
  price(m: MachineSpec): MachinePrice {
    const key = `${m.instanceType ?? ''}|${m.capacity.join(',')}`;
    let p = this.byKey.get(key);
    if (p === undefined) {
      const shape = this.shapeOf(m);
      const price = Object.freeze(this.priceShape(shape, m.instanceType));
      p = { shape: { ...shape, ...price, ...(m.instanceType !== undefined ? { instanceType: m.instanceType } : {}), machines: 0 }, price };
      this.byKey.set(key, p);
    }
    if (!this.seen.has(m.id)) {
      this.seen.add(m.id);
      p.shape.machines++;
      if (m.instanceType !== undefined && this.single === undefined && this.catalog.instances[m.instanceType] === undefined) {
        this.unknown[m.instanceType] = (this.unknown[m.instanceType] ?? 0) + 1;
      }
    }
    return p.price;
  }

  private priceShape(s: MachineShape, type: string | undefined): MachinePrice {
    if (this.single !== undefined) return { pricePerHour: this.single.pricePerHour, rule: 'one price for every machine', instance: this.single.instance };
    const named = type !== undefined ? this.catalog.instances[type] : undefined;
    if (named !== undefined) return { pricePerHour: named.pricePerHour, rule: 'instance type', instance: type };
    let best: string | undefined;
    let bestPrice = Infinity;
    for (const [name, t] of Object.entries(this.catalog.instances)) {
      if (t.vcpu < s.cores || t.memoryGiB < s.memoryGiB || (t.gpus ?? 0) < s.gpus) continue;
      if (t.pricePerHour < bestPrice || (t.pricePerHour === bestPrice && best !== undefined && name < best)) {
        best = name;
        bestPrice = t.pricePerHour;
      }
    }
    if (best !== undefined) return { pricePerHour: bestPrice, rule: 'cheapest covering instance', instance: best };
    const r = this.rates;
    return { pricePerHour: s.cores * r.perVcpuHour + s.memoryGiB * r.perGiBHour, rule: 'per vCPU-hour and GiB-hour' };
  }

  report(): PricingReport {
    const shapes = [...this.byKey.values()].map((e) => ({ ...e.shape })).filter((s) => s.machines > 0);
    shapes.sort((a, b) => b.machines - a.machines || b.pricePerHour - a.pricePerHour || a.cores - b.cores || a.memoryGiB - b.memoryGiB);
    const byRule = new Map<PricingRule, number>();
    let unpricedGpuMachines = 0;
    for (const s of shapes) {
      byRule.set(s.rule, (byRule.get(s.rule) ?? 0) + s.machines);
      if (s.rule === 'per vCPU-hour and GiB-hour' && s.gpus > 0) unpricedGpuMachines += s.machines;
    }
    const rules = [...byRule.entries()].map(([rule, machines]) => ({ rule, machines })).sort((a, b) => b.machines - a.machines || a.rule.localeCompare(b.rule));
    return { rules, shapes, unknownTypes: { ...this.unknown }, unpricedGpuMachines, rates: this.rates };
  }
}

/** The index of dimension `name` when it is in `unit`, else -1 (a dimension the pricer cannot read). */
function unitIndex(r: ResourceSchema, name: string, unit: string): number {
  const i = r.names.indexOf(name);
  return i >= 0 && r.units[i] === unit ? i : -1;
}

const n = (x: number) => x.toLocaleString('en-US');
const size = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** "16 cores, 63.9 GiB" (and GPUs when there are). */
export function shapeLabel(s: MachineShape): string {
  return `${size(s.cores)} cores, ${size(s.memoryGiB)} GiB${s.gpus > 0 ? `, ${size(s.gpus)} GPUs` : ''}`;
}

/** One line per rule, with its machines and shapes: what the report prints under "pricing". */
export function describePricing(r: PricingReport): string[] {
  const out: string[] = [];
  for (const { rule, machines } of r.rules) {
    const shapes = r.shapes.filter((s) => s.rule === rule);
    const parts = shapes.slice(0, 4).map((s) => {
      const as = s.instance !== undefined && rule !== 'instance type' && rule !== 'one price for every machine' ? ` → ${s.instance}` : '';
      const own = s.instanceType !== undefined && rule !== 'instance type' && rule !== 'one price for every machine' ? ` (type ${s.instanceType})` : '';
      return `${n(s.machines)} × ${rule === 'instance type' ? `${s.instance} (${shapeLabel(s)})` : shapeLabel(s)}${own}${as} ${formatPrice(roundPrice(s.pricePerHour))}/h`;
    });
    if (shapes.length > 4) parts.push(`${n(shapes.length - 4)} more shapes`);
    let what = `${n(machines)} machine${machines === 1 ? '' : 's'} priced as ${rule === 'instance type' ? 'their catalog instance type' : rule === 'cheapest covering instance' ? 'the cheapest catalog instance covering their shape' : rule === 'one price for every machine' ? `${shapes[0]?.instance ?? 'one instance'} each (one price given for every machine)` : `per vCPU-hour ${formatPrice(roundPrice(r.rates.perVcpuHour))} and GiB-hour ${formatPrice(roundPrice(r.rates.perGiBHour))} (${r.rates.method})`}`;
    what += `: ${parts.join('; ')}`;
    out.push(what);
  }
  const unknown = Object.entries(r.unknownTypes);
  if (unknown.length > 0) {
    out.push(`instance types not in the catalog (priced by shape): ${unknown.map(([t, c]) => `${t} × ${n(c)}`).join(', ')}`);
  }
  if (r.unpricedGpuMachines > 0) out.push(`${n(r.unpricedGpuMachines)} machines with GPUs priced without their GPUs (the catalog has no GPU instance covering them)`);
  return out;
}

/** Four significant decimals for a derived hourly price: $0.0339 */
function roundPrice(x: number): number {
  return Number(x.toPrecision(4));
}
