import { describe, expect, it } from 'vitest';
import { PodTopologySpread, type DefaultSpreadConstraint } from '../../algorithms/kubernetes/pod-topology-spread.js';
import type { LabelSelector } from '../../model/placement-constraints.js';
import {
  barSelector,
  fooSelector,
  pods,
  sc,
  spreadConstraints,
  spreadHarness,
  taints,
  zn,
  type Existing,
  type SpreadNode,
  type SpreadPod,
} from './helpers/spread.js';

/**
 * Conformance with upstream kube-scheduler:
 * pkg/scheduler/framework/plugins/podtopologyspread/filtering_test.go (kubernetes/kubernetes @ e7827879),
 * TestPreFilterState: what PreFilter computes — the constraints (key, maxSkew, minDomains,
 * inclusion policies), TpKeyToDomainsNum, TpPairToMatchNum and the global minimum
 * (criticalPaths[0]; MaxInt32 without domains, Infinity here) — read through
 * PodTopologySpread.preFilterState(). defaultingType List with the case's default constraints.
 * Upstream's Service objects select the pod for default constraints; schedlab reads no Services and
 * treats a labelled pod's job as its owner (see the README's deviations).
 * Not ported: "matchLabelKeys ignored when feature gate disabled" (schedlab always has
 * MatchLabelKeysInPodTopologySpread, on by default since 1.27; with it, the case's expectation
 * does not hold by design).
 */
const NONE = Infinity;
type Policy = 'Honor' | 'Ignore';
type ConstraintRow = [key: string, maxSkew: number, minDomains?: number, affinity?: Policy, taints?: Policy];
interface Want {
  constraints: ConstraintRow[];
  domains: Record<string, number>;
  /** `key/value` → matching pods. */
  matchNum: Record<string, number>;
  min: Record<string, number>;
}

function state(pod: SpreadPod, nodes: SpreadNode[], existing: Existing[], defaults: DefaultSpreadConstraint[] = []) {
  const h = spreadHarness(nodes, existing);
  const plugin = new PodTopologySpread({ defaultingType: 'List', defaultConstraints: defaults });
  const r = h.filter(plugin, { constraints: spreadConstraints(pod) });
  if (r.preFilter !== 'active') return r.preFilter;
  const s = plugin.preFilterState();
  const got: Want = { constraints: [], domains: {}, matchNum: {}, min: {} };
  for (const c of s) {
    got.constraints.push([c.topologyKey, c.maxSkew, c.minDomains, c.nodeAffinityPolicy, c.nodeTaintsPolicy]);
    if (c.domains > 0) got.domains[c.topologyKey] = c.domains;
    for (const [v, n] of Object.entries(c.matchNum)) got.matchNum[`${c.topologyKey}/${v}`] = n;
    got.min[c.topologyKey] = c.minMatch;
  }
  return got;
}
/** Fills upstream's defaults for each constraint row: minDomains 1, Honor, Ignore. */
function want(w: Want): Want {
  return { ...w, constraints: w.constraints.map(([k, s, m, a, t]) => [k, s, m ?? 1, a ?? 'Honor', t ?? 'Ignore']) };
}
const label = (matchLabels: Record<string, string>): LabelSelector => ({ matchLabels });
const four = (): SpreadNode[] => [zn('node-a', 'zone1'), zn('node-b', 'zone1'), zn('node-x', 'zone2'), zn('node-y', 'zone2')];
const fooPod = (...spread: ReturnType<typeof sc>[]): SpreadPod => ({ labels: { foo: '' }, spread });
const zoneFoo = sc(1, 'zone', 'DoNotSchedule', fooSelector);
const nodeFoo = sc(1, 'node', 'DoNotSchedule', fooSelector);
const nodeBar = sc(1, 'node', 'DoNotSchedule', barSelector);
const nodeOnly = (name: string, extra: Record<string, string> = {}, t?: SpreadNode[2]): SpreadNode => [name, { node: name, ...extra }, t];
/** Nodes a, b (label foo) and c (label bar), pods bar on a, 2 × bar on b, one unlabelled on c. */
const abcFoo = (): SpreadNode[] => [nodeOnly('node-a', { foo: '' }), nodeOnly('node-b', { foo: '' }), nodeOnly('node-c', { bar: '' })];
const abcTaint = (): SpreadNode[] => [nodeOnly('node-a'), nodeOnly('node-b'), nodeOnly('node-c', { bar: '' }, taints)];
const barPods: Existing[] = [['node-a', { bar: '' }], ['node-b', { bar: '' }], ['node-b', { bar: '' }], ['node-c', {}]];
const fiveFoo: Existing[] = [...pods('node-a', 2), ...pods('node-b', 1), ...pods('node-y', 2)];
const sevenFoo: Existing[] = [...pods('node-a', 2), ...pods('node-b', 1), ...pods('node-y', 4)];
const fooA = (n: number, node: string): Existing[] => pods(node, n, { foo: 'a' });
const fiveFooA: Existing[] = [...fooA(2, 'node-a'), ...fooA(1, 'node-b'), ...fooA(2, 'node-y')];

describe('podtopologyspread/filtering_test.go TestPreFilterState', () => {
  it('clean cluster with one spreadConstraint', () => {
    expect(state(fooPod(sc(5, 'zone', 'DoNotSchedule', label({ foo: 'bar' }))), four(), [])).toEqual(
      want({ constraints: [['zone', 5]], domains: { zone: 2 }, matchNum: { 'zone/zone1': 0, 'zone/zone2': 0 }, min: { zone: 0 } }),
    );
  });
  it('normal case with one spreadConstraint', () => {
    expect(state(fooPod(zoneFoo), four(), fiveFoo)).toEqual(
      want({ constraints: [['zone', 1]], domains: { zone: 2 }, matchNum: { 'zone/zone1': 3, 'zone/zone2': 2 }, min: { zone: 2 } }),
    );
  });
  it('normal case with null label selector', () => {
    expect(state(fooPod(sc(1, 'zone', 'DoNotSchedule', undefined)), four(), fiveFoo)).toEqual(
      want({ constraints: [['zone', 1]], domains: { zone: 2 }, matchNum: { 'zone/zone1': 0, 'zone/zone2': 0 }, min: { zone: 0 } }),
    );
  });
  it('normal case with one spreadConstraint, on a 3-zone cluster', () => {
    const nodes = [...four(), zn('node-o', 'zone3'), zn('node-p', 'zone3')];
    expect(state(fooPod(zoneFoo), nodes, fiveFoo)).toEqual(
      want({ constraints: [['zone', 1]], domains: { zone: 3 }, matchNum: { 'zone/zone1': 3, 'zone/zone2': 2, 'zone/zone3': 0 }, min: { zone: 0 } }),
    );
  });
  it("namespace mismatch doesn't count", () => {
    const existing: Existing[] = [['node-a', { foo: '' }], ['node-a', { foo: '' }, 'ns1'], ['node-b', { foo: '' }], ['node-y', { foo: '' }, 'ns2'], ['node-y', { foo: '' }]];
    expect(state(fooPod(zoneFoo), four(), existing)).toEqual(
      want({ constraints: [['zone', 1]], domains: { zone: 2 }, matchNum: { 'zone/zone1': 2, 'zone/zone2': 1 }, min: { zone: 1 } }),
    );
  });
  const twoConstraints = want({
    constraints: [['zone', 1], ['node', 1]],
    domains: { zone: 2, node: 4 },
    matchNum: { 'zone/zone1': 3, 'zone/zone2': 4, 'node/node-a': 2, 'node/node-b': 1, 'node/node-x': 0, 'node/node-y': 4 },
    min: { zone: 3, node: 0 },
  });
  it('normal case with two spreadConstraints', () => {
    expect(state(fooPod(zoneFoo, nodeFoo), four(), sevenFoo)).toEqual(twoConstraints);
  });
  const aby = (): SpreadNode[] => [zn('node-a', 'zone1'), zn('node-b', 'zone1'), zn('node-y', 'zone2')];
  it('soft spreadConstraints should be bypassed', () => {
    const pod = fooPod(sc(1, 'zone', 'ScheduleAnyway', fooSelector), zoneFoo, sc(1, 'node', 'ScheduleAnyway', fooSelector), nodeFoo);
    expect(state(pod, aby(), sevenFoo)).toEqual(
      want({
        constraints: [['zone', 1], ['node', 1]],
        domains: { zone: 2, node: 3 },
        matchNum: { 'zone/zone1': 3, 'zone/zone2': 4, 'node/node-a': 2, 'node/node-b': 1, 'node/node-y': 4 },
        min: { zone: 3, node: 1 },
      }),
    );
  });
  const foobar = (...spread: ReturnType<typeof sc>[]): SpreadPod => ({ labels: { foo: '', bar: '' }, spread });
  it('different labelSelectors - simple version', () => {
    expect(state(foobar(zoneFoo, nodeBar), aby(), [['node-a', { foo: '' }], ['node-b', { bar: '' }]])).toEqual(
      want({
        constraints: [['zone', 1], ['node', 1]],
        domains: { zone: 2, node: 3 },
        matchNum: { 'zone/zone1': 1, 'zone/zone2': 0, 'node/node-a': 0, 'node/node-b': 1, 'node/node-y': 0 },
        min: { zone: 0, node: 0 },
      }),
    );
  });
  it('different labelSelectors - complex pods', () => {
    const existing: Existing[] = [
      ['node-a', { foo: '' }],
      ['node-a', { foo: '', bar: '' }],
      ['node-b', { foo: '' }],
      ['node-y', { foo: '' }],
      ['node-y', { foo: '', bar: '' }],
      ['node-y', { foo: '' }],
      ['node-y', { foo: '', bar: '' }],
    ];
    expect(state(foobar(zoneFoo, nodeBar), aby(), existing)).toEqual(
      want({
        constraints: [['zone', 1], ['node', 1]],
        domains: { zone: 2, node: 3 },
        matchNum: { 'zone/zone1': 3, 'zone/zone2': 4, 'node/node-a': 1, 'node/node-b': 0, 'node/node-y': 2 },
        min: { zone: 3, node: 0 },
      }),
    );
  });
  it('two spreadConstraints, and with podAffinity', () => {
    const pod: SpreadPod = { ...fooPod(zoneFoo, nodeFoo), requiredNodeAffinity: [{ matchExpressions: [{ key: 'node', operator: 'NotIn', values: ['node-x'] }] }] };
    expect(state(pod, four(), sevenFoo)).toEqual(
      want({
        constraints: [['zone', 1], ['node', 1]],
        domains: { zone: 2, node: 3 },
        matchNum: { 'zone/zone1': 3, 'zone/zone2': 4, 'node/node-a': 2, 'node/node-b': 1, 'node/node-y': 4 },
        min: { zone: 3, node: 1 },
      }),
    );
  });
  // Upstream's Service {foo: bar} selects the pod; here the pod's job stands for its owner.
  it('default constraints and a service', () => {
    const defaults: DefaultSpreadConstraint[] = [
      { maxSkew: 3, topologyKey: 'node', whenUnsatisfiable: 'DoNotSchedule' },
      { maxSkew: 2, topologyKey: 'node', whenUnsatisfiable: 'ScheduleAnyway' },
      { maxSkew: 5, topologyKey: 'rack', whenUnsatisfiable: 'DoNotSchedule' },
    ];
    expect(state({ labels: { foo: 'bar', baz: 'kar' } }, [], [], defaults)).toEqual(
      want({ constraints: [['node', 3], ['rack', 5]], domains: {}, matchNum: {}, min: { node: NONE, rack: NONE } }),
    );
  });
  // DEVIATION (README): upstream skips — no Service selects the pod, so no default selector can be
  // built. schedlab reads no Services and applies the defaults to a labelled pod's job.
  it("default constraints and a service that doesn't match (deviation)", () => {
    const r = state({ labels: { foo: 'bar' } }, [], [], [{ maxSkew: 3, topologyKey: 'node', whenUnsatisfiable: 'DoNotSchedule' }]);
    expect(r).toEqual(want({ constraints: [['node', 3]], domains: {}, matchNum: {}, min: { node: NONE } }));
  });
  it('default constraints and a service, but pod has constraints', () => {
    const pod: SpreadPod = {
      labels: { foo: 'bar', baz: 'tar' },
      spread: [sc(1, 'zone', 'DoNotSchedule', label({ baz: 'tar' })), sc(2, 'planet', 'ScheduleAnyway', label({ fot: 'rok' }))],
    };
    expect(state(pod, [], [], [{ maxSkew: 2, topologyKey: 'node', whenUnsatisfiable: 'DoNotSchedule' }])).toEqual(
      want({ constraints: [['zone', 1]], domains: {}, matchNum: {}, min: { zone: NONE } }),
    );
  });
  it('default soft constraints and a service', () => {
    expect(state({ labels: { foo: 'bar' } }, [], [], [{ maxSkew: 2, topologyKey: 'node', whenUnsatisfiable: 'ScheduleAnyway' }])).toBe('skip');
  });
  it('TpKeyToDomainsNum is calculated when MinDomains is enabled', () => {
    expect(state(fooPod(zoneFoo, nodeFoo), four(), sevenFoo)).toEqual(twoConstraints);
  });
  const honoredAB = want({ constraints: [['node', 1]], domains: { node: 2 }, matchNum: { 'node/node-a': 1, 'node/node-b': 2 }, min: { node: 1 } });
  const allABC = (affinity: Policy = 'Honor', taintPolicy: Policy = 'Ignore') =>
    want({ constraints: [['node', 1, 1, affinity, taintPolicy]], domains: { node: 3 }, matchNum: { 'node/node-a': 1, 'node/node-b': 2, 'node/node-c': 0 }, min: { node: 0 } });
  it('feature gate disabled with NodeAffinityPolicy', () => {
    // The constraint sets no policy, so the gate makes no difference (default Honor).
    expect(state({ ...fooPod(nodeBar), nodeSelector: { foo: '' } }, abcFoo(), barPods)).toEqual(honoredAB);
  });
  it('NodeAffinityPolicy honored with labelSelectors', () => {
    expect(state({ ...fooPod(nodeBar), nodeSelector: { foo: '' } }, abcFoo(), barPods)).toEqual(honoredAB);
  });
  it('NodeAffinityPolicy ignored with labelSelectors', () => {
    const pod: SpreadPod = { ...fooPod(sc(1, 'node', 'DoNotSchedule', barSelector, { nodeAffinityPolicy: 'Ignore' })), nodeSelector: { foo: '' } };
    expect(state(pod, abcFoo(), barPods)).toEqual(allABC('Ignore'));
  });
  const fooIn = [{ matchExpressions: [{ key: 'foo', operator: 'In' as const, values: [''] }] }];
  it('NodeAffinityPolicy honored with nodeAffinity', () => {
    expect(state({ ...fooPod(nodeBar), requiredNodeAffinity: fooIn }, abcFoo(), barPods)).toEqual(honoredAB);
  });
  it('NodeAffinityPolicy ignored with nodeAffinity', () => {
    const pod: SpreadPod = { ...fooPod(sc(1, 'node', 'DoNotSchedule', barSelector, { nodeAffinityPolicy: 'Ignore' })), requiredNodeAffinity: fooIn };
    expect(state(pod, abcFoo(), barPods)).toEqual(allABC('Ignore'));
  });
  it('feature gate disabled with NodeTaintsPolicy', () => {
    // No policy set: the default (Ignore) applies with or without the gate.
    expect(state(fooPod(nodeBar), abcTaint(), barPods)).toEqual(allABC());
  });
  it('NodeTaintsPolicy ignored', () => {
    expect(state(fooPod(nodeBar), abcTaint(), barPods)).toEqual(allABC());
  });
  it('NodeTaintsPolicy honored', () => {
    expect(state(fooPod(sc(1, 'node', 'DoNotSchedule', barSelector, { nodeTaintsPolicy: 'Honor' })), abcTaint(), barPods)).toEqual(
      want({ constraints: [['node', 1, 1, 'Honor', 'Honor']], domains: { node: 2 }, matchNum: { 'node/node-a': 1, 'node/node-b': 2 }, min: { node: 1 } }),
    );
  });
  it('NodeTaintsPolicy honored with tolerated taints', () => {
    // st.Toleration(key): Exists, NoSchedule.
    const pod = fooPod(sc(1, 'node', 'DoNotSchedule', barSelector, { nodeTaintsPolicy: 'Honor' }));
    const c = { ...spreadConstraints(pod), tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' as const, effect: 'NoSchedule' as const }] };
    const h = spreadHarness(abcTaint(), barPods);
    const plugin = new PodTopologySpread({ defaultingType: 'List', defaultConstraints: [] });
    expect(h.filter(plugin, { constraints: c }).preFilter).toBe('active');
    const s = plugin.preFilterState();
    expect(s.map((x) => [x.topologyKey, x.nodeTaintsPolicy, x.domains, x.matchNum, x.minMatch])).toEqual([
      ['node', 'Honor', 3, { 'node-a': 1, 'node-b': 2, 'node-c': 0 }, 0],
    ]);
  });
  const zf = (name: string, zone: string, foo: boolean, t?: SpreadNode[2]) => zn(name, zone, foo ? { foo: '' } : {}, t);
  const bbx: Existing[] = [...pods('node-b', 2), ...pods('node-x', 1)];
  it('two node inclusion Constraints, zone: honor/ignore, node: ignore/ignore', () => {
    const pod: SpreadPod = { ...fooPod(zoneFoo, sc(1, 'node', 'DoNotSchedule', fooSelector, { nodeAffinityPolicy: 'Ignore' })), nodeSelector: { foo: '' } };
    const nodes = [zf('node-a', 'zone1', true), zf('node-b', 'zone1', false), zf('node-x', 'zone2', true)];
    expect(state(pod, nodes, bbx)).toEqual(
      want({
        constraints: [['zone', 1], ['node', 1, 1, 'Ignore']],
        domains: { zone: 2, node: 3 },
        matchNum: { 'zone/zone1': 0, 'zone/zone2': 1, 'node/node-a': 0, 'node/node-b': 2, 'node/node-x': 1 },
        min: { zone: 0, node: 0 },
      }),
    );
  });
  it('two node inclusion Constraints, zone: honor/honor, node: honor/ignore', () => {
    const pod = fooPod(sc(1, 'zone', 'DoNotSchedule', fooSelector, { nodeTaintsPolicy: 'Honor' }), nodeFoo);
    const nodes = [zf('node-a', 'zone1', true), zf('node-b', 'zone1', false, taints), zf('node-x', 'zone2', true)];
    expect(state(pod, nodes, bbx)).toEqual(
      want({
        constraints: [['zone', 1, 1, 'Honor', 'Honor'], ['node', 1]],
        domains: { zone: 2, node: 3 },
        matchNum: { 'zone/zone1': 0, 'zone/zone2': 1, 'node/node-a': 0, 'node/node-b': 2, 'node/node-x': 1 },
        min: { zone: 0, node: 0 },
      }),
    );
  });
  it('two node inclusion Constraints, zone: honor/ignore, node: honor/ignore', () => {
    const pod: SpreadPod = { ...fooPod(zoneFoo, nodeFoo), nodeSelector: { foo: '' } };
    const nodes = [zf('node-a', 'zone1', false), zf('node-b', 'zone1', true, taints), zf('node-x', 'zone2', true), zf('node-y', 'zone2', false)];
    const existing = [...pods('node-a', 2), ...pods('node-x', 1), ...pods('node-y', 1)];
    expect(state(pod, nodes, existing)).toEqual(
      want({
        constraints: [['zone', 1], ['node', 1]],
        domains: { zone: 2, node: 2 },
        matchNum: { 'zone/zone1': 0, 'zone/zone2': 1, 'node/node-b': 0, 'node/node-x': 1 },
        min: { zone: 0, node: 0 },
      }),
    );
  });
  it('two node inclusion Constraints, zone: ignore/ignore, node: honor/honor', () => {
    const pod: SpreadPod = {
      ...fooPod(sc(1, 'zone', 'DoNotSchedule', fooSelector, { nodeAffinityPolicy: 'Ignore' }), sc(1, 'node', 'DoNotSchedule', fooSelector, { nodeTaintsPolicy: 'Honor' })),
      nodeSelector: { foo: '' },
    };
    const nodes = [zf('node-a', 'zone1', false), zf('node-b', 'zone1', true, taints), zf('node-x', 'zone2', true), zf('node-y', 'zone2', true)];
    const existing = [...pods('node-a', 2), ...pods('node-x', 2), ...pods('node-y', 1)];
    expect(state(pod, nodes, existing)).toEqual(
      want({
        constraints: [['zone', 1, 1, 'Ignore', 'Ignore'], ['node', 1, 1, 'Honor', 'Honor']],
        domains: { zone: 2, node: 2 },
        matchNum: { 'zone/zone1': 2, 'zone/zone2': 3, 'node/node-x': 2, 'node/node-y': 1 },
        min: { zone: 2, node: 1 },
      }),
    );
  });
  it("matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty", () => {
    const pod: SpreadPod = { labels: { foo: '', bar: 'a' }, spread: [sc(1, 'zone', 'DoNotSchedule', fooSelector, { matchLabelKeys: ['bar'] })] };
    const existing: Existing[] = [['node-a', { foo: '' }], ['node-a', { foo: '', bar: 'a' }], ['node-b', { foo: '' }], ['node-y', { foo: '', bar: 'a' }], ['node-y', { bar: '' }]];
    expect(state(pod, four(), existing)).toEqual(
      want({ constraints: [['zone', 1]], domains: { zone: 2 }, matchNum: { 'zone/zone1': 1, 'zone/zone2': 1 }, min: { zone: 1 } }),
    );
  });
  it('matchLabelKeys ANDed with LabelSelector when LabelSelector is empty', () => {
    const pod: SpreadPod = { labels: { foo: 'a' }, spread: [sc(1, 'zone', 'DoNotSchedule', {}, { matchLabelKeys: ['foo'] })] };
    expect(state(pod, four(), fiveFooA)).toEqual(
      want({ constraints: [['zone', 1]], domains: { zone: 2 }, matchNum: { 'zone/zone1': 3, 'zone/zone2': 2 }, min: { zone: 2 } }),
    );
  });
  const nilSelector = want({ constraints: [['zone', 1]], domains: { zone: 2 }, matchNum: { 'zone/zone1': 0, 'zone/zone2': 0 }, min: { zone: 0 } });
  it('key in matchLabelKeys is ignored when LabelSelector is nil when feature gate enabled', () => {
    expect(state(fooPod(sc(1, 'zone', 'DoNotSchedule', undefined, { matchLabelKeys: ['bar'] })), four(), fiveFooA)).toEqual(nilSelector);
  });
  it('no pod is matched when LabelSelector is nil when feature gate disabled', () => {
    // A nil selector matches nothing with or without the gate.
    expect(state(fooPod(sc(1, 'zone', 'DoNotSchedule', undefined, { matchLabelKeys: ['bar'] })), four(), fiveFooA)).toEqual(nilSelector);
  });
  it("key in matchLabelKeys is ignored when it isn't exist in pod.labels", () => {
    expect(state(fooPod(sc(1, 'zone', 'DoNotSchedule', fooSelector, { matchLabelKeys: ['bar'] })), four(), fiveFooA)).toEqual(
      want({ constraints: [['zone', 1]], domains: { zone: 2 }, matchNum: { 'zone/zone1': 3, 'zone/zone2': 2 }, min: { zone: 2 } }),
    );
  });
  it('skip if not specified', () => {
    expect(state({ labels: { foo: '' } }, [zn('node-a', 'zone1')], [])).toBe('skip');
  });
});
