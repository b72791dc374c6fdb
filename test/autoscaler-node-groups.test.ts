import { describe, expect, it } from 'vitest';
import { readNodeGroups, parseInlineNodeGroups, parseNodeGroupsFile } from '../harness/autoscaler/node-groups.js';
import { resolveNodeGroups, nodeSpecFor, groupOfMachine, checkDimensions } from '../harness/autoscaler/node-group-templates.js';
import { parseAutoscalerOptions, defaultAutoscalerOptions } from '../harness/autoscaler/autoscaler-options.js';
import { autoscalerSetup } from '../harness/autoscaler/autoscaler-config.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { GiB } from '../model/units.js';
import { UsageError } from '../model/errors.js';
import { KUBERNETES_RESOURCES } from '../workloads/kubernetes/resources.js';
import { buildCluster, catalog, MIN, S } from './fixtures/node-groups-cluster.js';

const NO_BUDGETS = { budgetsOf: () => [], allowed: () => Infinity };

describe('node groups (--node-groups)', () => {
  it('reads inline groups: name, instance, min, max, zone', () => {
    const g = parseInlineNodeGroups('name=a,instance=m5.2xlarge,min=0,max=10,zone=us-east-1a; name=b,instance=c5.2xlarge,max=3');
    expect(g.map((x) => [x.name, x.instanceTypes, x.min, x.max, x.zone])).toEqual([
      ['a', ['m5.2xlarge'], 0, 10, 'us-east-1a'],
      ['b', ['c5.2xlarge'], 0, 3, undefined],
    ]);
    expect(parseInlineNodeGroups('name=k,instances=m5.large|m5.xlarge,max=5')[0].instanceTypes).toEqual(['m5.large', 'm5.xlarge']);
    expect(parseInlineNodeGroups('name=k,instanceType=m5.large,max=5')[0].instanceTypes).toEqual(['m5.large']);
  });

  it('reads JSON, and a bare list of groups', () => {
    const json = parseNodeGroupsFile('{"groups": [{"name": "a", "instanceType": "m5.large", "min": 0, "max": 4}]}', 'g.json');
    expect(json.map((g) => [g.name, g.instanceTypes, g.max])).toEqual([['a', ['m5.large'], 4]]);
    const list = parseNodeGroupsFile('- name: a\n  instanceType: m5.large\n  max: 2\n- name: b\n  instanceType: m5.xlarge\n  max: 3\n', 'g.yaml');
    expect(list.map((g) => g.name)).toEqual(['a', 'b']);
    expect(() => parseNodeGroupsFile('- name: a\n  instanceType: m5.large\n  max: 2\n- name: b\n  instanceType: m5.large\n  max: -1\n', 'g.yaml')).toThrow(/g\.yaml line 6 \(\[1\]\.max\): must not be negative, got -1/);
  });

  it('reads a YAML file with labels and taints', () => {
    const g = readNodeGroups('test/fixtures/node-groups.yaml');
    expect(g).toHaveLength(2);
    expect(g[1]).toMatchObject({
      name: 'batch',
      instanceTypes: ['c5.2xlarge'],
      min: 0,
      max: 4,
      zone: 'us-east-1b',
      labels: { 'workload.example.com/tier': 'batch' },
      taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }],
    });
  });

  it('refuses bad input, naming the file, line and field or the option', () => {
    const bad = (f: () => unknown, pattern: RegExp): void => {
      expect(f).toThrow(UsageError);
      expect(f).toThrow(pattern);
    };
    bad(() => readNodeGroups('test/fixtures/node-groups-bad-max.yaml'), /node-groups-bad-max\.yaml line 8 \(groups\[1\]\.min\): min 5 is greater than max 2/);
    bad(() => parseInlineNodeGroups('name=a,instance=m5.large,min=-1,max=3'), /--node-groups group 1 \(min\): must not be negative, got -1/);
    bad(() => parseInlineNodeGroups('name=a,instance=m5.large,min=1,max=x'), /group 1 \(max\): expected a whole number/);
    bad(() => parseInlineNodeGroups('name=a,instance=m5.large,max=3;name=a,instance=m5.xlarge,max=2'), /group 2: duplicate group name 'a' \(also --node-groups group 1\)/);
    bad(() => parseInlineNodeGroups('name=a,instance=m5.large'), /group 1 \(max\): required/);
    bad(() => parseInlineNodeGroups('name=a,instance=m5.large,max=3,size=4'), /unknown key 'size'; expected one of name, instance, instanceType, instances, min, max, zone/);
    bad(() => parseInlineNodeGroups('name=A_b,instance=m5.large,max=3'), /\(name\): expected a DNS label/);
    bad(() => readNodeGroups('no/such/file.yaml'), /--node-groups: no such file 'no\/such\/file.yaml'/);
    bad(() => parseNodeGroupsFile('groups:\n  - name: a\n    instanceType: m5.large\n    max: 2\n    taints:\n      - key: x\n        effect: Sometimes\n', 'g.yaml'), /g\.yaml line 7 \(groups\[0\]\.taints\[0\]\.effect\): expected one of NoSchedule, PreferNoSchedule, NoExecute/);
    bad(() => parseNodeGroupsFile('groups:\n  - name: a\n    instanceType: m5.large\n    max: 2\n    labels:\n      node.kubernetes.io/x: "bad value!"\n', 'g.yaml'), /g\.yaml line 6 \(groups\[0\]\.labels\.node\.kubernetes\.io\/x\): expected a label value/);
    bad(() => parseNodeGroupsFile('nodegroups: []\n', 'g.yaml'), /g\.yaml line 1 \(nodegroups\): unknown key 'nodegroups'; expected groups/);
  });

  it('resolves instance types in the catalog; an unknown one names a few known ones', () => {
    const groups = resolveNodeGroups(parseInlineNodeGroups('name=a,instance=m5.large,max=3'), catalog, DEFAULT_RESOURCES, 'cluster-autoscaler');
    expect(groups[0].types.map((t) => [t.name, t.vcpu, t.pricePerHour])).toEqual([['m5.large', 2, 0.096]]);
    expect(() => resolveNodeGroups(parseInlineNodeGroups('name=a,instance=m9.huge,max=3'), catalog, DEFAULT_RESOURCES, 'cluster-autoscaler')).toThrow(
      /--node-groups group 1 \(instance\): unknown instance type 'm9\.huge'; the catalog has 7 \(m5\.large, m5\.xlarge, m5\.2xlarge, m5\.4xlarge, m5\.8xlarge, c5\.2xlarge, \.\.\.\)/,
    );
    // The cluster autoscaler needs one type per group; Karpenter takes several, or the whole catalog.
    expect(() => resolveNodeGroups(parseInlineNodeGroups('name=a,instances=m5.large|m5.xlarge,max=3'), catalog, DEFAULT_RESOURCES, 'cluster-autoscaler')).toThrow(/has one instance type, got 2/);
    const any = resolveNodeGroups(parseInlineNodeGroups('name=k,max=3'), catalog, DEFAULT_RESOURCES, 'karpenter');
    expect(any[0].types.map((t) => t.name)).toEqual(['m5.large', 'm5.xlarge', 'c5.2xlarge', 'm5.2xlarge', 'r5.2xlarge', 'm5.4xlarge', 'm5.8xlarge']);
  });

  it('refuses a workload whose dimensions an instance type does not describe', () => {
    expect(() => checkDimensions({ names: ['cpu', 'memory'], units: ['normalized', 'normalized'] })).toThrow(/--node-groups: the workload's cpu is in 'normalized', not millicores.*--machine-scale/);
    expect(() => checkDimensions({ names: ['cpu', 'disk'], units: ['millicores', 'bytes'] })).toThrow(/resource 'disk'/);
    expect(() => checkDimensions(KUBERNETES_RESOURCES)).not.toThrow();
  });

  it('makes template nodes of the catalog shape with the well-known labels, the group labels and taints', () => {
    const [, batch] = resolveNodeGroups(readNodeGroups('test/fixtures/node-groups.yaml'), catalog, KUBERNETES_RESOURCES, 'cluster-autoscaler');
    const spec = nodeSpecFor(batch, batch.types[0], 'batch-0', KUBERNETES_RESOURCES);
    // c5.2xlarge: 8 vCPU, 16 GiB; kubelet's default 110 pods.
    expect(spec.capacity).toEqual([8000, 16 * GiB, 0, 110]);
    expect(spec.instanceType).toBe('c5.2xlarge');
    expect(spec.labels).toMatchObject({
      'kubernetes.io/hostname': 'batch-0',
      'node.kubernetes.io/instance-type': 'c5.2xlarge',
      'topology.kubernetes.io/zone': 'us-east-1b',
      'topology.kubernetes.io/region': 'us-east-1',
      'workload.example.com/tier': 'batch',
    });
    expect(spec.taints).toEqual([{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }]);
  });

  it('an existing node belongs to the group of its instance type and zone', () => {
    const groups = resolveNodeGroups(readNodeGroups('test/fixtures/node-groups.yaml'), catalog, DEFAULT_RESOURCES, 'cluster-autoscaler');
    expect(groupOfMachine(groups, 'm5.large', { 'topology.kubernetes.io/zone': 'us-east-1a' })).toBe(0);
    expect(groupOfMachine(groups, 'm5.large', { 'topology.kubernetes.io/zone': 'us-east-1c' })).toBe(-1);
    expect(groupOfMachine(groups, 'm5.2xlarge', { 'topology.kubernetes.io/zone': 'us-east-1a' })).toBe(-1);
  });
});

describe('autoscaler options (--autoscaler-options)', () => {
  it('has upstream defaults', () => {
    const o = defaultAutoscalerOptions('cluster-autoscaler');
    expect(o).toMatchObject({ expander: 'random', scanInterval: 10 * S, scaleDownUtilizationThreshold: 0.5, scaleDownUnneededTime: 10 * MIN, scaleDownDelayAfterAdd: 10 * MIN, maxEmptyBulkDelete: 10, maxGracefulTermination: 600 * S, expendablePodsPriorityCutoff: -10, maxNodesTotal: 0 });
    expect(defaultAutoscalerOptions('karpenter')).toMatchObject({ batchIdleDuration: 1 * S, batchMaxDuration: 10 * S, consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: 0 });
  });

  it('parses the options and refuses unknown keys, the other mode\'s keys and bad values', () => {
    const o = parseAutoscalerOptions('expander=least-waste,scan-interval=30s,scale-down-utilization-threshold=0.6,scale-down-unneeded-time=5m,provisioning-delay=90s,max-nodes-total=20', 'cluster-autoscaler');
    expect(o).toMatchObject({ expander: 'least-waste', scanInterval: 30 * S, scaleDownUtilizationThreshold: 0.6, scaleDownUnneededTime: 5 * MIN, provisioningDelay: 90 * S, maxNodesTotal: 20 });
    expect(() => parseAutoscalerOptions('expandr=price', 'cluster-autoscaler')).toThrow(/--autoscaler-options: unknown key 'expandr'; cluster-autoscaler takes scan-interval, provisioning-delay, expander,/);
    expect(() => parseAutoscalerOptions('consolidate-after=1m', 'cluster-autoscaler')).toThrow(/consolidate-after applies to --autoscaler karpenter, not cluster-autoscaler/);
    expect(() => parseAutoscalerOptions('expander=cheapest', 'cluster-autoscaler')).toThrow(/expander: expected one of random, most-pods, least-waste, price, got 'cheapest'/);
    expect(() => parseAutoscalerOptions('scale-down-utilization-threshold=1.5', 'cluster-autoscaler')).toThrow(/expected a number from 0 to 1/);
    expect(() => parseAutoscalerOptions('scan-interval=0s', 'cluster-autoscaler')).toThrow(/expected a positive duration/);
    expect(() => parseAutoscalerOptions('scale-down-unneeded-time=ten', 'cluster-autoscaler')).toThrow(/expected a duration such as 90s/);
    expect(() => parseAutoscalerOptions('scan-interval=10s,scan-interval=20s', 'cluster-autoscaler')).toThrow(/scan-interval is given twice/);
    expect(parseAutoscalerOptions('consolidate-after=1m,disruption-budget=2', 'karpenter')).toMatchObject({ consolidateAfter: MIN, disruptionBudget: { value: 2, percent: false } });
  });
});

describe('autoscalerSetup', () => {
  it('is undefined without node groups, and refuses autoscaler options without them', () => {
    const { workload } = buildCluster([], []);
    expect(autoscalerSetup({}, workload, catalog, NO_BUDGETS)).toBeUndefined();
    expect(() => autoscalerSetup({ options: 'expander=price' }, workload, catalog, NO_BUDGETS)).toThrow(/--autoscaler-options: give the node groups/);
  });

  it('makes the chosen mode and states it in the notes', () => {
    const { workload } = buildCluster([], []);
    const ca = autoscalerSetup({ nodeGroups: 'name=a,instance=m5.large,max=3' }, workload, catalog, NO_BUDGETS);
    expect(ca?.name).toBe('cluster-autoscaler');
    const k = autoscalerSetup({ nodeGroups: 'name=k,instances=m5.large|m5.xlarge,max=3', mode: 'karpenter' }, workload, catalog, NO_BUDGETS);
    expect(k?.name).toBe('karpenter');
    expect(workload.notes.some((n) => n.startsWith('autoscaler: cluster-autoscaler: expander random') && n.includes('a (m5.large, 0–3 nodes)'))).toBe(true);
  });
});
