import { describe, expect, it } from 'vitest';
import { UsageError } from '../model/errors.js';
import { parseFailureModel } from '../harness/failures/failure-model.js';
import { parseZoneOutage } from '../harness/failures/zone-outage.js';
import { NODE_LIFECYCLE_DEFAULTS, describeNodeLifecycle, parseNodeLifecycle } from '../harness/failures/node-lifecycle-controller.js';
import { NodeTopology, parseTopology } from '../harness/failures/topology.js';
import { failuresSetup } from '../harness/failures/failures-config.js';
import { gammaFunction } from '../harness/failures/lifetime-distribution.js';
import { tinyWorkload } from './helpers/tiny-workload.js';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKubernetesManifests } from '../workloads/kubernetes/reader.js';
import { InputError } from '../model/errors.js';
import { unreachableToleration } from '../harness/failures/unreachable-toleration.js';
import { GiB } from '../model/units.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'failures');
const NODES = { nodes: 3, nodeShape: { cpuMillicores: 8000, memoryBytes: 32 * GiB }, instanceType: 'm5.2xlarge' };

const HOUR = 3.6e9;

/** The one-line UsageError a call throws. */
function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const m = (e as Error).message;
    expect(m).not.toContain('\n');
    return m;
  }
  throw new Error('expected a UsageError');
}

function zoned(zones: string[]): ReturnType<typeof tinyWorkload> {
  const w = tinyWorkload(zones.map(() => [1000, 1000] as [number, number]), []);
  w.machines.forEach((m, i) => (m.labels = { 'topology.kubernetes.io/zone': zones[i], 'topology.kubernetes.io/region': 'us-east-1' }));
  return w;
}

describe('--failures', () => {
  it('reads mtbf, mttr and the distributions; Weibull scale from the mean', () => {
    const m = parseFailureModel('mtbf=720h,mttr=2h,dist=weibull,shape=0.7,mttr-dist=weibull,mttr-shape=2,scope=rack');
    expect(m.up).toMatchObject({ kind: 'weibull', mean: 720 * HOUR, shape: 0.7 });
    expect(m.up.scale).toBeCloseTo((720 * HOUR) / gammaFunction(1 + 1 / 0.7), 0);
    expect(m.down).toMatchObject({ kind: 'weibull', mean: 2 * HOUR, shape: 2 });
    expect(m.scope).toBe('rack');
    expect(parseFailureModel('mtbf=30m,mttr=90s')).toMatchObject({ up: { kind: 'exponential', mean: 30 * 60e6 }, down: { kind: 'exponential', mean: 90e6 }, scope: 'node' });
  });

  it('refuses each bad key with one line naming --failures and the key', () => {
    expect(usage(() => parseFailureModel('mttr=2h'))).toMatch(/^--failures: missing mtbf/);
    expect(usage(() => parseFailureModel('mtbf=720h'))).toMatch(/^--failures: missing mttr/);
    expect(usage(() => parseFailureModel('mtbf=0s,mttr=2h'))).toMatch(/^--failures: mtbf .*positive.*got '0s'/);
    expect(usage(() => parseFailureModel('mtbf=-5h,mttr=2h'))).toMatch(/^--failures: mtbf .*got '-5h'/);
    expect(usage(() => parseFailureModel('mtbf=720h,mttr=soon'))).toMatch(/^--failures: mttr .*got 'soon'/);
    expect(usage(() => parseFailureModel('mtbf=720h,mttr=2h,dist=weibull'))).toMatch(/^--failures: dist=weibull needs shape/);
    expect(usage(() => parseFailureModel('mtbf=720h,mttr=2h,dist=weibull,shape=0'))).toMatch(/^--failures: shape .*greater than 0/);
    expect(usage(() => parseFailureModel('mtbf=720h,mttr=2h,dist=weibull,shape=-1'))).toMatch(/^--failures: shape/);
    expect(usage(() => parseFailureModel('mtbf=720h,mttr=2h,shape=0.7'))).toMatch(/^--failures: shape is given but dist is exponential/);
    expect(usage(() => parseFailureModel('mtbf=720h,mttr=2h,mttr-dist=weibull,mttr-shape=x'))).toMatch(/^--failures: mttr-shape/);
    expect(usage(() => parseFailureModel('mtbf=720h,mttr=2h,dist=lognormal'))).toMatch(/^--failures: dist: expected one of exponential, weibull/);
    expect(usage(() => parseFailureModel('mtbf=720h,mttr=2h,scope=cell'))).toMatch(/^--failures: scope: expected one of node, rack, zone/);
    expect(usage(() => parseFailureModel('mtbf=720h,mttr=2h,mtbf=1h'))).toMatch(/^--failures: mtbf is given twice/);
    expect(usage(() => parseFailureModel('mtbf=720h,mttr=2h,seed=3'))).toMatch(/^--failures: unknown key 'seed'/);
    expect(usage(() => parseFailureModel('720h'))).toMatch(/^--failures: malformed pair/);
  });
});

describe('--zone-outage', () => {
  it('reads zone (or rack), at and for', () => {
    expect(parseZoneOutage('zone=us-east-1a,at=2h,for=30m')).toEqual({ domain: 'zone', name: 'us-east-1a', at: 2 * HOUR, duration: 30 * 60e6 });
    expect(parseZoneOutage('rack=r7,at=0,for=1h')).toEqual({ domain: 'rack', name: 'r7', at: 0, duration: HOUR });
  });

  it('refuses each bad key', () => {
    expect(usage(() => parseZoneOutage('at=2h,for=30m'))).toMatch(/^--zone-outage: missing zone/);
    expect(usage(() => parseZoneOutage('zone=a,rack=b,at=2h,for=30m'))).toMatch(/^--zone-outage: give zone= or rack=, not both/);
    expect(usage(() => parseZoneOutage('zone=a,for=30m'))).toMatch(/^--zone-outage: missing at/);
    expect(usage(() => parseZoneOutage('zone=a,at=2h'))).toMatch(/^--zone-outage: missing for/);
    expect(usage(() => parseZoneOutage('zone=a,at=-1h,for=30m'))).toMatch(/^--zone-outage: at .*non-negative/);
    expect(usage(() => parseZoneOutage('zone=a,at=1h,for=0s'))).toMatch(/^--zone-outage: for .*positive/);
    expect(usage(() => parseZoneOutage('zone=a,at=1h,for=30m,until=3h'))).toMatch(/^--zone-outage: unknown key 'until'/);
  });

  it('an unknown zone lists the known ones; an unknown rack says how to get racks', () => {
    const w = zoned(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    const m = usage(() => failuresSetup({ zoneOutages: ['zone=us-west-2a,at=1h,for=10m'] }, w, 1));
    expect(m).toBe("--zone-outage: unknown zone 'us-west-2a' (known zones: us-east-1a, us-east-1b, us-east-1c)");
    expect(usage(() => failuresSetup({ zoneOutages: ['rack=r1,at=1h,for=10m'] }, w, 1))).toMatch(/^--zone-outage: unknown rack 'r1' \(known racks: none: label nodes schedlab.io\/rack or give --topology racks-per-zone=N\)/);
    expect(failuresSetup({ zoneOutages: ['zone=us-east-1b,at=1h,for=10m'] }, w, 1)).toBeDefined();
  });
});

describe('--node-lifecycle', () => {
  it('defaults are the kube-controller-manager and kube-apiserver defaults (grace 50 s since v1.32)', () => {
    expect(parseNodeLifecycle(undefined)).toEqual({ grace: 50e6, monitorPeriod: 5e6, toleration: 300, rate: 0.1, secondaryRate: 0.01, largeCluster: 50, unhealthyThreshold: 0.55 });
    expect(describeNodeLifecycle(NODE_LIFECYCLE_DEFAULTS)).toBe('grace=50s,monitor-period=5s,toleration=300s,rate=0.1,secondary-rate=0.01,large-cluster=50,unhealthy-threshold=0.55');
    expect(parseNodeLifecycle('grace=40s,toleration=60s,rate=0.5,secondary-rate=0,large-cluster=10,unhealthy-threshold=0.7,monitor-period=2s')).toEqual({
      grace: 40e6,
      monitorPeriod: 2e6,
      toleration: 60,
      rate: 0.5,
      secondaryRate: 0,
      largeCluster: 10,
      unhealthyThreshold: 0.7,
    });
  });

  it('refuses each bad key', () => {
    expect(usage(() => parseNodeLifecycle('grace=0s'))).toMatch(/^--node-lifecycle: grace/);
    expect(usage(() => parseNodeLifecycle('monitor-period=fast'))).toMatch(/^--node-lifecycle: monitor-period/);
    expect(usage(() => parseNodeLifecycle('toleration=1.5s'))).toMatch(/^--node-lifecycle: toleration .*whole seconds/);
    expect(usage(() => parseNodeLifecycle('toleration=-1s'))).toMatch(/^--node-lifecycle: toleration/);
    expect(usage(() => parseNodeLifecycle('rate=-0.1'))).toMatch(/^--node-lifecycle: rate/);
    expect(usage(() => parseNodeLifecycle('secondary-rate=x'))).toMatch(/^--node-lifecycle: secondary-rate/);
    expect(usage(() => parseNodeLifecycle('large-cluster=2.5'))).toMatch(/^--node-lifecycle: large-cluster .*whole number/);
    expect(usage(() => parseNodeLifecycle('unhealthy-threshold=0'))).toMatch(/^--node-lifecycle: unhealthy-threshold/);
    expect(usage(() => parseNodeLifecycle('unhealthy-threshold=1.5'))).toMatch(/^--node-lifecycle: unhealthy-threshold/);
    expect(usage(() => parseNodeLifecycle('eviction-timeout=5m'))).toMatch(/^--node-lifecycle: unknown key 'eviction-timeout'/);
  });
});

describe('--topology and the failure domains', () => {
  it('refuses bad keys', () => {
    expect(usage(() => parseTopology('zones=0'))).toMatch(/^--topology: zones .*from 1 to 26/);
    expect(usage(() => parseTopology('zones=27'))).toMatch(/^--topology: zones/);
    expect(usage(() => parseTopology('racks-per-zone=0'))).toMatch(/^--topology: racks-per-zone/);
    expect(usage(() => parseTopology('region=US East'))).toMatch(/^--topology: region/);
    expect(usage(() => parseTopology('cells=2'))).toMatch(/^--topology: unknown key 'cells'/);
  });

  it('zones from labels, the deprecated failure-domain label first (GetZoneKey), the region part of the key', () => {
    const t = new NodeTopology();
    t.assign(0, { 'topology.kubernetes.io/zone': 'a', 'topology.kubernetes.io/region': 'r1' });
    t.assign(1, { 'failure-domain.beta.kubernetes.io/zone': 'b', 'topology.kubernetes.io/zone': 'a', 'topology.kubernetes.io/region': 'r1' });
    t.assign(2, { 'topology.kubernetes.io/zone': 'a', 'topology.kubernetes.io/region': 'r2' });
    t.assign(3, {});
    expect(t.zoneNames).toEqual(['a', 'b', 'r2/a', '(no zone)']);
    expect(Array.from(t.zoneOf.subarray(0, 4))).toEqual([0, 1, 2, 3]);
    expect(t.findZone('r2/a')).toBe(2);
  });

  it('a generated layout for unlabeled nodes: zone n mod Z, rack (n div Z) mod R; labeled zones get racks by ordinal', () => {
    const t = new NodeTopology(parseTopology('zones=3,racks-per-zone=2'));
    for (let n = 0; n < 12; n++) t.assign(n, {});
    expect(t.zoneNames).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(Array.from(t.zoneOf.subarray(0, 12))).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    // node 0, 3, 6, 9 in zone a: ordinals 0..3 → racks 0, 1, 0, 1
    expect([0, 3, 6, 9].map((n) => t.rackNames[t.rackOf[n]])).toEqual(['us-east-1a/rack-0', 'us-east-1a/rack-1', 'us-east-1a/rack-0', 'us-east-1a/rack-1']);
    expect(t.rackCount).toBe(6);
    const labeled = new NodeTopology({ racksPerZone: 2 });
    for (let n = 0; n < 4; n++) labeled.assign(n, { 'topology.kubernetes.io/zone': n < 2 ? 'x' : 'y' });
    expect([0, 1, 2, 3].map((n) => labeled.rackNames[labeled.rackOf[n]])).toEqual(['x/rack-0', 'x/rack-1', 'y/rack-0', 'y/rack-1']);
    const rackLabels = new NodeTopology();
    rackLabels.assign(0, { 'schedlab.io/rack': 'r1' });
    expect(rackLabels.rackNames).toEqual(['r1']);
    expect(rackLabels.describe()).toContain('1 racks from the schedlab.io/rack label');
  });

  it('scope=rack needs every machine in a rack; --node-lifecycle or --topology alone is refused; nothing failing gives no reaction', () => {
    const w = tinyWorkload([[1000, 1000], [1000, 1000]], []);
    expect(usage(() => failuresSetup({ failures: 'mtbf=1h,mttr=1m,scope=rack' }, w, 1))).toBe(
      '--failures: scope=rack: 2 of 2 machines have no rack (label them schedlab.io/rack, or give --topology racks-per-zone=N)',
    );
    expect(failuresSetup({ failures: 'mtbf=1h,mttr=1m,scope=rack', topology: 'racks-per-zone=2' }, w, 1)).toBeDefined();
    expect(usage(() => failuresSetup({ nodeLifecycle: 'grace=40s' }, w, 1))).toMatch(/^--node-lifecycle: no node fails without --failures or --zone-outage/);
    expect(usage(() => failuresSetup({ topology: 'zones=3' }, w, 1))).toMatch(/^--topology: /);
    expect(failuresSetup({}, w, 1)).toBeUndefined();
    expect(failuresSetup({ zoneOutages: [] }, w, 1)).toBeUndefined();
  });
});

describe('tolerationSeconds from manifests', () => {
  it('the reader keeps tolerationSeconds; the pod leaves an unreachable node after its own 30 s; Exists NoExecute without seconds stays', async () => {
    const w = await readKubernetesManifests(path.join(FIXTURES, 'fast-failover.yaml'), NODES);
    const byName = (n: string) => w.jobConstraints![w.jobs.findIndex((j) => j.includes(n))];
    const api = byName('api');
    expect(api?.tolerations?.[0]).toEqual({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 });
    expect(unreachableToleration(api?.tolerations, 300)).toBe(30e6);
    expect(unreachableToleration(byName('agent')?.tolerations, 300)).toBe(Infinity);
    expect(unreachableToleration(undefined, 300)).toBe(300e6);
    expect(unreachableToleration([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: -5 }], 300)).toBe(0);
  });

  it('tolerationSeconds with an effect other than NoExecute is refused with its file, line and field', async () => {
    const err = await readKubernetesManifests(path.join(FIXTURES, 'bad-toleration-seconds.yaml'), NODES).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/bad-toleration-seconds.yaml line 9 .*effect.*expected NoExecute when tolerationSeconds is set, got "NoSchedule"/);
  });
});
