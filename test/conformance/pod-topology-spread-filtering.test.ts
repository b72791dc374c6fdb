import { describe, expect, it } from 'vitest';
import { PodTopologySpread } from '../../algorithms/kubernetes/pod-topology-spread.js';
import { REASON_SPREAD, REASON_SPREAD_MISSING_LABEL } from '../../algorithms/kubernetes/unschedulable-reasons.js';
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
 * TestSingleConstraint and TestMultipleConstraints: PodTopologySpread PreFilter + Filter with
 * defaultingType List and no default constraints. Upstream's status codes map to schedlab's
 * reasons: Success → true, Unschedulable → ErrReasonConstraintsNotMatch, UnschedulableAndUnresolvable
 * → ErrReasonNodeLabelNotMatch (the node lacks a topology key). Upstream enables the
 * NodeInclusionPolicy feature gate per case; schedlab always has it (GA since 1.33).
 * TestPreFilterState is in pod-topology-spread-state.test.ts.
 * Not ported: TestPreFilterStateAddPod / TestPreFilterStateRemovePod (preemption's what-if
 * updates of the cycle state; schedlab has no preemption), TestPreFilterDisabled (schedlab always
 * runs PreFilter first), BenchmarkFilter.
 */
type Code = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable';
const STATUS: Record<Code, true | string> = {
  Success: true,
  Unschedulable: REASON_SPREAD,
  UnschedulableAndUnresolvable: REASON_SPREAD_MISSING_LABEL,
};

function filter(pod: SpreadPod, nodes: SpreadNode[], existing: Existing[]) {
  const h = spreadHarness(nodes, existing);
  const r = h.filter(new PodTopologySpread({ defaultingType: 'List', defaultConstraints: [] }), { constraints: spreadConstraints(pod) });
  return r.status;
}
const want = (codes: Record<string, Code>) => Object.fromEntries(Object.entries(codes).map(([n, c]) => [n, STATUS[c]]));
const S = 'Success';
const U = 'Unschedulable';
const UU = 'UnschedulableAndUnresolvable';
const fooPod = (...spread: ReturnType<typeof sc>[]): SpreadPod => ({ labels: { foo: '' }, spread });
const four = (): SpreadNode[] => [zn('node-a', 'zone1'), zn('node-b', 'zone1'), zn('node-x', 'zone2'), zn('node-y', 'zone2')];
const twoOneZeroThree: Existing[] = [...pods('node-a', 2), ...pods('node-b', 1), ...pods('node-y', 3)];
const nodeOnly = (name: string, extra: Record<string, string> = {}, t?: SpreadNode[2]): SpreadNode => [name, { node: name, ...extra }, t];
const inclusionNodes = (yTaints?: boolean): SpreadNode[] => [
  nodeOnly('node-a', { foo: '' }),
  nodeOnly('node-b', { foo: '' }),
  nodeOnly('node-x', { foo: '' }),
  yTaints ? nodeOnly('node-y', {}, taints) : nodeOnly('node-y'),
];
const oneOneZeroOne: Existing[] = [...pods('node-a', 1), ...pods('node-b', 1), ...pods('node-y', 1)];

describe('podtopologyspread/filtering_test.go TestSingleConstraint', () => {
  const zoneFoo = sc(1, 'zone', 'DoNotSchedule', fooSelector);
  const nodeFoo = sc(1, 'node', 'DoNotSchedule', fooSelector);
  it('no existing pods', () => {
    expect(filter(fooPod(zoneFoo), four(), [])).toEqual(want({ 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S }));
  });
  it("no existing pods, incoming pod doesn't match itself", () => {
    expect(filter(fooPod(sc(1, 'zone', 'DoNotSchedule', barSelector)), four(), [])).toEqual(want({ 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S }));
  });
  it('existing pods in a different namespace do not count', () => {
    const existing: Existing[] = [['node-a', { foo: '' }, 'ns1'], ['node-a', { foo: '' }, 'ns2'], ['node-x', { foo: '' }], ['node-y', { foo: '' }]];
    expect(filter(fooPod(zoneFoo), four(), existing)).toEqual(want({ 'node-a': S, 'node-b': S, 'node-x': U, 'node-y': U }));
  });
  it('existing pods do not match null selector', () => {
    const existing: Existing[] = [['node-x', { foo: '' }], ['node-y', { foo: '' }]];
    expect(filter(fooPod(sc(1, 'zone', 'DoNotSchedule', undefined)), four(), existing)).toEqual(want({ 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S }));
  });
  it('pods spread across zones as 3/3, all nodes fit', () => {
    expect(filter(fooPod(zoneFoo), four(), twoOneZeroThree)).toEqual(want({ 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S }));
  });
  it("pods spread across zones as 1/2 due to absence of label 'zone' on node-b", () => {
    const nodes: SpreadNode[] = [zn('node-a', 'zone1'), ['node-b', { zon: 'zone1', node: 'node-b' }], zn('node-x', 'zone2'), zn('node-y', 'zone2')];
    const existing = [...pods('node-a', 1), ...pods('node-b', 1), ...pods('node-x', 1), ...pods('node-y', 1)];
    expect(filter(fooPod(zoneFoo), nodes, existing)).toEqual(want({ 'node-a': S, 'node-b': UU, 'node-x': U, 'node-y': U }));
  });
  it("pod cannot be scheduled as all nodes don't have label 'rack'", () => {
    expect(filter(fooPod(sc(1, 'rack', 'DoNotSchedule', fooSelector)), [zn('node-a', 'zone1'), zn('node-x', 'zone2')], [])).toEqual(
      want({ 'node-a': UU, 'node-x': UU }),
    );
  });
  it('pods spread across nodes as 2/1/0/3, only node-x fits', () => {
    expect(filter(fooPod(nodeFoo), four(), twoOneZeroThree)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U }));
  });
  it('pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit', () => {
    expect(filter(fooPod(sc(2, 'node', 'DoNotSchedule', fooSelector)), four(), twoOneZeroThree)).toEqual(want({ 'node-a': U, 'node-b': S, 'node-x': S, 'node-y': U }));
  });
  it("pods spread across nodes as 2/1/0/3, but pod doesn't match itself", () => {
    expect(filter({ labels: { bar: '' }, spread: [nodeFoo] }, four(), twoOneZeroThree)).toEqual(want({ 'node-a': U, 'node-b': S, 'node-x': S, 'node-y': U }));
  });
  it('incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits', () => {
    const pod: SpreadPod = { ...fooPod(nodeFoo), requiredNodeAffinity: [{ matchExpressions: [{ key: 'node', operator: 'In', values: ['node-a', 'node-y'] }] }] };
    // node-b and node-x pass: NodeAffinity is not run here.
    expect(filter(pod, four(), twoOneZeroThree)).toEqual(want({ 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': U }));
  });
  it('terminating Pods should be excluded', () => {
    // schedlab has no terminating state: a pod that is going away is no longer bound, so it is
    // simply not among the running pods (upstream's p-a on node-a, Terminating()).
    expect(filter(fooPod(nodeFoo), [nodeOnly('node-a'), nodeOnly('node-b')], [['node-b', { foo: '' }]])).toEqual(want({ 'node-a': S, 'node-b': U }));
  });
  it('incoming pod has nodeAffinity, pods spread as 0/~2~/0/1, hence node-a fits', () => {
    const pod: SpreadPod = { ...fooPod(zoneFoo), requiredNodeAffinity: [{ matchExpressions: [{ key: 'node', operator: 'NotIn', values: ['node-b'] }] }] };
    expect(filter(pod, four(), [...pods('node-b', 2), ...pods('node-y', 1)])).toEqual(want({ 'node-a': S, 'node-b': S, 'node-x': U, 'node-y': U }));
  });
  const threeNodes = (): SpreadNode[] => [nodeOnly('node-a'), nodeOnly('node-b'), nodeOnly('node-c')];
  const twoTwoOne = [...pods('node-a', 2), ...pods('node-b', 2), ...pods('node-c', 1)];
  it('pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains, then the third node fits', () => {
    expect(filter(fooPod(sc(2, 'node', 'DoNotSchedule', fooSelector, { minDomains: 4 })), threeNodes(), twoTwoOne)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-c': S }));
  });
  it('pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains > minDomains, then the all nodes fit', () => {
    expect(filter(fooPod(sc(2, 'node', 'DoNotSchedule', fooSelector, { minDomains: 2 })), threeNodes(), twoTwoOne)).toEqual(want({ 'node-a': S, 'node-b': S, 'node-c': S }));
  });
  const twoOne = [...pods('node-a', 1), ...pods('node-b', 1), ...pods('node-y', 1)];
  it('pods spread across zone as 2/1, maxSkew is 2 and the number of domains < minDomains, then the third and fourth nodes fit', () => {
    expect(filter(fooPod(sc(2, 'zone', 'DoNotSchedule', fooSelector, { minDomains: 3 })), four(), twoOne)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': S }));
  });
  it('pods spread across zone as 2/1, maxSkew is 2 and the number of domains > minDomains, then the all nodes fit', () => {
    expect(filter(fooPod(sc(2, 'zone', 'DoNotSchedule', fooSelector, { minDomains: 1 })), four(), twoOne)).toEqual(want({ 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S }));
  });
  it('NodeAffinityPolicy honored with labelSelectors', () => {
    expect(filter({ ...fooPod(nodeFoo), nodeSelector: { foo: '' } }, inclusionNodes(), oneOneZeroOne)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': S }));
  });
  it('NodeAffinityPolicy ignored with labelSelectors', () => {
    const pod: SpreadPod = { ...fooPod(sc(1, 'node', 'DoNotSchedule', fooSelector, { nodeAffinityPolicy: 'Ignore' })), nodeSelector: { foo: '' } };
    expect(filter(pod, inclusionNodes(), oneOneZeroOne)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U }));
  });
  const fooIn = [{ matchExpressions: [{ key: 'foo', operator: 'In' as const, values: [''] }] }];
  it('NodeAffinityPolicy honored with nodeAffinity', () => {
    expect(filter({ ...fooPod(nodeFoo), requiredNodeAffinity: fooIn }, inclusionNodes(), oneOneZeroOne)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': S }));
  });
  it('NodeAffinityPolicy ignored with labelSelectors', () => {
    // upstream's second case of this name: required node affinity `foo In [""]`.
    const pod: SpreadPod = { ...fooPod(sc(1, 'node', 'DoNotSchedule', fooSelector, { nodeAffinityPolicy: 'Ignore' })), requiredNodeAffinity: fooIn };
    expect(filter(pod, inclusionNodes(), oneOneZeroOne)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U }));
  });
  it('NodeTaintsPolicy honored', () => {
    expect(filter(fooPod(sc(1, 'node', 'DoNotSchedule', fooSelector, { nodeTaintsPolicy: 'Honor' })), inclusionNodes(true), oneOneZeroOne)).toEqual(
      want({ 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': S }),
    );
  });
  it('NodeTaintsPolicy ignored', () => {
    expect(filter(fooPod(nodeFoo), inclusionNodes(true), oneOneZeroOne)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U }));
  });
});

describe('podtopologyspread/filtering_test.go TestMultipleConstraints', () => {
  const zoneFoo = sc(1, 'zone', 'DoNotSchedule', fooSelector);
  const nodeFoo = sc(1, 'node', 'DoNotSchedule', fooSelector);
  const nodeBar = sc(1, 'node', 'DoNotSchedule', barSelector);
  const foobar = (...spread: ReturnType<typeof sc>[]): SpreadPod => ({ labels: { foo: '', bar: '' }, spread });
  it('two Constraints on zone and node, spreads = [3/3, 2/1/0/3]', () => {
    expect(filter(fooPod(zoneFoo, nodeFoo), four(), twoOneZeroThree)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U }));
  });
  it('two Constraints on zone and node, spreads = [3/4, 2/1/0/4]', () => {
    const existing = [...pods('node-a', 2), ...pods('node-b', 1), ...pods('node-y', 4)];
    expect(filter(fooPod(zoneFoo, nodeFoo), four(), existing)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-x': U, 'node-y': U }));
  });
  it('Constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]', () => {
    const existing: Existing[] = [['node-a', { foo: '' }], ['node-y', { bar: '' }]];
    expect(filter(foobar(zoneFoo, nodeBar), four(), existing)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U }));
  });
  it('Constraints hold different labelSelectors, spreads = [1/0, 0/0/1/1]', () => {
    const existing: Existing[] = [['node-a', { foo: '' }], ['node-x', { bar: '' }], ['node-y', { bar: '' }]];
    expect(filter(foobar(zoneFoo, nodeBar), four(), existing)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-x': U, 'node-y': U }));
  });
  it('Constraints hold different labelSelectors, spreads = [2/3, 1/0/0/1]', () => {
    const existing: Existing[] = [
      ['node-a', { foo: '' }],
      ['node-a', { foo: '', bar: '' }],
      ['node-y', { foo: '' }],
      ['node-y', { foo: '', bar: '' }],
      ['node-y', { foo: '' }],
    ];
    expect(filter(foobar(zoneFoo, nodeBar), four(), existing)).toEqual(want({ 'node-a': U, 'node-b': S, 'node-x': U, 'node-y': U }));
  });
  it("Constraints hold different labelSelectors but pod doesn't match itself on 'zone' constraint", () => {
    const existing: Existing[] = [['node-a', { foo: '' }], ['node-x', { bar: '' }], ['node-y', { bar: '' }]];
    expect(filter({ labels: { bar: '' }, spread: [zoneFoo, nodeBar] }, four(), existing)).toEqual(want({ 'node-a': S, 'node-b': S, 'node-x': U, 'node-y': U }));
  });
  it("two Constraints on zone and node, absence of label 'node' on node-x, spreads = [1/1, 1/0/0/1]", () => {
    const nodes: SpreadNode[] = [zn('node-a', 'zone1'), zn('node-b', 'zone1'), ['node-x', { zone: 'zone2' }], zn('node-y', 'zone2')];
    expect(filter(fooPod(zoneFoo, nodeFoo), nodes, [...pods('node-a', 1), ...pods('node-y', 1)])).toEqual(want({ 'node-a': U, 'node-b': S, 'node-x': UU, 'node-y': U }));
  });
  const zfoo = (name: string, zone: string, foo: boolean, t?: SpreadNode[2]) => zn(name, zone, foo ? { foo: '' } : {}, t);
  it('two node inclusion Constraints, zone: honor/ignore, node: ignore/ignore', () => {
    const pod: SpreadPod = { ...fooPod(zoneFoo, sc(1, 'node', 'DoNotSchedule', fooSelector, { nodeAffinityPolicy: 'Ignore' })), nodeSelector: { foo: '' } };
    const nodes = [zfoo('node-a', 'zone1', true), zfoo('node-b', 'zone1', true), zfoo('node-x', 'zone2', true), zfoo('node-y', 'zone2', false)];
    expect(filter(pod, nodes, oneOneZeroOne)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U }));
  });
  it('two node inclusion Constraints, zone: honor/honor, node: honor/ignore', () => {
    const pod = fooPod(sc(1, 'zone', 'DoNotSchedule', fooSelector, { nodeTaintsPolicy: 'Honor' }), nodeFoo);
    const nodes = [zfoo('node-a', 'zone1', true), zfoo('node-b', 'zone1', true), zfoo('node-x', 'zone2', true), zn('node-y', 'zone2', {}, taints)];
    expect(filter(pod, nodes, oneOneZeroOne)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U }));
  });
  it('two node inclusion Constraints, zone: honor/ignore, node: honor/ignore', () => {
    const pod: SpreadPod = { ...fooPod(zoneFoo, nodeFoo), nodeSelector: { foo: '' } };
    const nodes = [zfoo('node-a', 'zone1', true), zfoo('node-b', 'zone1', false), zfoo('node-x', 'zone2', true), zfoo('node-y', 'zone2', true, taints)];
    expect(filter(pod, nodes, oneOneZeroOne)).toEqual(want({ 'node-a': U, 'node-b': S, 'node-x': S, 'node-y': U }));
  });
  it('two node inclusion Constraints, zone: honor/honor, node: ignore/ignore', () => {
    const pod: SpreadPod = {
      ...fooPod(sc(1, 'zone', 'DoNotSchedule', fooSelector, { nodeTaintsPolicy: 'Honor' }), sc(1, 'node', 'DoNotSchedule', fooSelector, { nodeAffinityPolicy: 'Ignore' })),
      nodeSelector: { foo: '' },
    };
    const nodes = [zfoo('node-a', 'zone1', true), zfoo('node-b', 'zone1', false), zfoo('node-x', 'zone2', true), zfoo('node-y', 'zone2', true, taints)];
    expect(filter(pod, nodes, oneOneZeroOne)).toEqual(want({ 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U }));
  });
});
