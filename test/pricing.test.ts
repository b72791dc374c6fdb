import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitResourceRates, MachinePricer, describePricing } from '../reports/pricing.js';
import { loadCatalog, type InstanceCatalog } from '../model/instance-catalog.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { GiB } from '../model/units.js';
import { replay } from '../harness/replay.js';
import { runSpec } from '../harness/replay-spec.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { readKubernetesManifests } from '../workloads/kubernetes/reader.js';
import { clusterFromMachineEvents, readMachineEventRows } from '../workloads/google-2011/machine-events.js';
import { DEFAULT_MACHINE_SCALE } from '../workloads/google-2011/units.js';
import { listInputFiles } from '../workloads/gzip-lines.js';
import { renderSummary } from '../reports/summary-table.js';
import type { MachineSpec } from '../model/machine.js';
import { tinyWorkload } from './helpers/tiny-workload.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const catalog = loadCatalog();
const machine = (id: string, cores: number, memGiB: number, gpus = 0, instanceType?: string): MachineSpec => ({
  id,
  capacity: [cores * 1000, memGiB * GiB, gpus * 1000],
  ...(instanceType !== undefined ? { instanceType } : {}),
});
const H = 3600e6;

describe('per-resource rates fitted to the catalog', () => {
  it('are the least-squares fit without intercept: residuals orthogonal to vCPU and GiB', () => {
    const r = fitResourceRates(catalog);
    let sv = 0;
    let sm = 0;
    for (const t of Object.values(catalog.instances)) {
      const e = r.perVcpuHour * t.vcpu + r.perGiBHour * t.memoryGiB - t.pricePerHour;
      sv += e * t.vcpu;
      sm += e * t.memoryGiB;
    }
    expect(Math.abs(sv)).toBeLessThan(1e-12);
    expect(Math.abs(sm)).toBeLessThan(1e-12);
    // The figures the doc comment states (computed separately with numpy.linalg.lstsq).
    expect(r.perVcpuHour).toBeCloseTo(0.0339454, 6);
    expect(r.perGiBHour).toBeCloseTo(0.0035396, 6);
    expect(r.method).toMatch(/least squares, no intercept, over the catalog's 7 instances without GPUs/);
  });

  it('a catalog with one memory-per-vCPU ratio cannot separate them: per vCPU only, said so', () => {
    const m5only: InstanceCatalog = { region: 'x', priceDate: 'y', currency: 'USD', instances: { a: { vcpu: 2, memoryGiB: 8, gpus: 0, pricePerHour: 0.1 }, b: { vcpu: 4, memoryGiB: 16, gpus: 0, pricePerHour: 0.2 } } };
    const r = fitResourceRates(m5only);
    expect(r.perVcpuHour).toBeCloseTo(0.05, 12);
    expect(r.perGiBHour).toBe(0);
    expect(r.method).toMatch(/per vCPU only/);
  });
});

describe('MachinePricer rules', () => {
  it('a catalog instance type is priced as that instance', () => {
    const p = new MachinePricer(catalog, DEFAULT_RESOURCES);
    expect(p.price(machine('a', 4, 16, 0, 'm5.xlarge'))).toEqual({ pricePerHour: 0.192, rule: 'instance type', instance: 'm5.xlarge' });
  });

  it('a shape without a known type is the cheapest catalog instance covering it', () => {
    const p = new MachinePricer(catalog, DEFAULT_RESOURCES);
    // Google 2011 shapes at the default scale (1.0 = 32 cores, 128 GiB).
    expect(p.price(machine('g1', 16, 0.4995 * 128)).instance).toBe('m5.4xlarge');
    expect(p.price(machine('g2', 16, 0.2493 * 128)).instance).toBe('m5.4xlarge');
    expect(p.price(machine('g3', 8, 0.2498 * 128)).instance).toBe('m5.2xlarge');
    expect(p.price(machine('g4', 32, 128)).instance).toBe('m5.8xlarge');
    // 8 cores, 15 GiB: c5.2xlarge ($0.34) is cheaper than m5.2xlarge ($0.384); 8 cores, 40 GiB: r5.2xlarge ($0.504) beats m5.4xlarge.
    expect(p.price(machine('c', 8, 15))).toEqual({ pricePerHour: 0.34, rule: 'cheapest covering instance', instance: 'c5.2xlarge' });
    expect(p.price(machine('r', 8, 40)).instance).toBe('r5.2xlarge');
  });

  it('a type the catalog does not list (EKS t3.small) is priced by its shape and named', () => {
    const p = new MachinePricer(catalog, DEFAULT_RESOURCES);
    expect(p.price(machine('t1', 2, 1.89, 0, 't3.small'))).toEqual({ pricePerHour: 0.096, rule: 'cheapest covering instance', instance: 'm5.large' });
    p.price(machine('t2', 2, 1.89, 0, 't3.small'));
    expect(p.report().unknownTypes).toEqual({ 't3.small': 2 });
  });

  it('a shape no instance covers is priced per vCPU-hour and GiB-hour; GPUs are left unpriced and counted', () => {
    const p = new MachinePricer(catalog, DEFAULT_RESOURCES);
    const r = p.rates;
    const ali = p.price(machine('m_1', 96, 512));
    expect(ali.rule).toBe('per vCPU-hour and GiB-hour');
    expect(ali.pricePerHour).toBeCloseTo(96 * r.perVcpuHour + 512 * r.perGiBHour, 12);
    const gpu = p.price(machine('gpu', 96, 768, 8));
    expect(gpu.pricePerHour).toBeCloseTo(96 * r.perVcpuHour + 768 * r.perGiBHour, 12);
    expect(p.report().unpricedGpuMachines).toBe(1);
  });

  it('counts each machine once, whatever the number of times it is priced (re-added machines)', () => {
    const p = new MachinePricer(catalog, DEFAULT_RESOURCES);
    for (let k = 0; k < 3; k++) p.price(machine('same', 16, 64));
    p.price(machine('other', 16, 64));
    p.price(machine('typed', 8, 32, 0, 'm5.2xlarge'));
    const rep = p.report();
    expect(rep.rules).toEqual([
      { rule: 'cheapest covering instance', machines: 2 },
      { rule: 'instance type', machines: 1 },
    ]);
    expect(describePricing(rep)[0]).toBe('2 machines priced as the cheapest catalog instance covering their shape: 2 × 16 cores, 64 GiB → m5.4xlarge $0.768/h');
  });
});

describe('replay cost with machines at their own prices', () => {
  it('two shapes, 24 h: (0.384 + 0.768) × 8,760 = $10,091.52 a year; busy cost from the busy node only', async () => {
    const w = tinyWorkload([[8000, 32 * GiB], [16000, 64 * GiB]], [{ submit: 0, duration: 12 * H, cpu: 1000, mem: GiB }], { horizon: 24 * H });
    w.machines[0].instanceType = 'm5.2xlarge';
    delete w.machines[1].instanceType;
    const pricing = { instance: 'unused', pricePerHour: 99, region: catalog.region, priceDate: catalog.priceDate, machines: new MachinePricer(catalog, w.resources) };
    const { summary } = await replay({ workload: w, policy: firstFit, seed: 1, pricing });
    expect(summary.cost.perYear).toBe(10091.52);
    // First fit puts the task on node 0 (the m5.2xlarge) for 12 of the 24 hours.
    expect(summary.cost.busyPerYear).toBe(1681.92);
    expect(summary.cost.instance).toBe('mixed');
    expect(summary.cost.pricing.rules).toEqual([
      { rule: 'cheapest covering instance', machines: 1 },
      { rule: 'instance type', machines: 1 },
    ]);
    const text = renderSummary(summary);
    expect(text).toMatch(/pricing: 1 machine priced as their catalog instance type: 1 × m5\.2xlarge \(8 cores, 32 GiB\) \$0\.384\/h/);
    expect(text).toMatch(/pricing: 1 machine priced as the cheapest catalog instance covering their shape: 1 × 16 cores, 64 GiB → m5\.4xlarge \$0\.768\/h/);
    expect(text).not.toMatch(/nodes of/);
  });

  it('the brief: 100 × m5.2xlarge for a year of hours is $336,384.00', async () => {
    const { summary } = await runSpec({ workload: 'synthetic', policy: 'first-fit', seed: 1, nodes: 100, tasks: 200, hours: 24, instance: 'm5.2xlarge' });
    expect(summary.cost.perYear).toBe(336384);
    expect(summary.cost.instance).toBe('m5.2xlarge');
    expect(summary.cost.pricePerHour).toBe(0.384);
    expect(summary.cost.pricing.rules).toEqual([{ rule: 'instance type', machines: 100 }]);
  });
});

describe('Kubernetes Node objects: the instance-type label selects the price', () => {
  it('labelled m5.large at its price, t3.small (not in the catalog) and an unlabelled node by shape', async () => {
    const w = await readKubernetesManifests(path.join(HERE, 'fixtures', 'kubernetes', 'eks-nodes', 'nodes.yaml'), { horizonSeconds: 3600 });
    expect(w.machines.map((m) => m.instanceType)).toEqual(['t3.small', 't3.small', 'm5.large', undefined]);
    const pricing = { instance: 'm5.2xlarge', pricePerHour: 0.384, region: catalog.region, priceDate: catalog.priceDate, machines: new MachinePricer(catalog, w.resources) };
    const { summary } = await replay({ workload: w, policy: firstFit, seed: 1, pricing });
    const rep = summary.cost.pricing;
    expect(rep.rules).toEqual([
      { rule: 'cheapest covering instance', machines: 3 },
      { rule: 'instance type', machines: 1 },
    ]);
    expect(rep.unknownTypes).toEqual({ 't3.small': 2 });
    // m5.large 0.096 + 2 × t3.small as m5.large 0.096 + 4 cores / 16 GiB as m5.xlarge 0.192 = $0.48/h.
    expect(summary.cost.perYear).toBe(4204.8);
    expect(renderSummary(summary)).toMatch(/instance types not in the catalog \(priced by shape\): t3\.small × 2/);
  });
});

const REAL = path.join(HERE, '..', '..', 'shared', 'data', 'google-2011', 'machine_events');
const realPresent = existsSync(REAL);
if (!realPresent) console.warn(`pricing real-data test skipped: ${REAL} is absent (see ../shared/data/README.md)`);

describe.skipIf(!realPresent)('Google 2011 machines (../shared/data/google-2011/machine_events)', () => {
  it('every machine up at t = 0 is priced as the cheapest covering catalog instance', async () => {
    const table = await readMachineEventRows(await listInputFiles(REAL), { onBadRow: 'fail' });
    const cluster = clusterFromMachineEvents(table.rows, DEFAULT_MACHINE_SCALE);
    const p = new MachinePricer(catalog, { names: ['cpu', 'memory'], units: ['millicores', 'bytes'] });
    for (const m of cluster.machines) p.price(m);
    const rep = p.report();
    expect(rep.rules).toEqual([{ rule: 'cheapest covering instance', machines: cluster.machines.length }]);
    // The two common shapes (README: (0.5, 0.4995) and (0.5, 0.2493)) are both 16-core m5.4xlarge.
    expect(rep.shapes[0]).toMatchObject({ cores: 16, instance: 'm5.4xlarge' });
    expect(rep.shapes[1]).toMatchObject({ cores: 16, instance: 'm5.4xlarge' });
    expect(cluster.machines.length).toBeGreaterThan(12_000);
  });
});
