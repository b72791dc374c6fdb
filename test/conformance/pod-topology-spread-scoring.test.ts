import { describe, expect, it } from 'vitest';
import { HOSTNAME_KEY, PodTopologySpread, ZONE_KEY, type PodTopologySpreadArgs } from '../../algorithms/kubernetes/pod-topology-spread.js';
import type { PodDef } from './helpers/kube-harness.js';
import { INCOMING_JOB, KubeHarness, schema } from './helpers/kube-harness.js';
import { barSelector, fooSelector, sc, spreadConstraints, spreadHarness, taints, type Existing, type SpreadNode, type SpreadPod } from './helpers/spread.js';

/**
 * Conformance with upstream kube-scheduler:
 * pkg/scheduler/framework/plugins/podtopologyspread/scoring_test.go (kubernetes/kubernetes @ 38f68d59):
 * TestPreScoreSkip, TestPreScoreStateEmptyNodes (PreScore's state, read through
 * PodTopologySpread.preScoreState()) and TestPodTopologySpreadScore (PreScore + Score +
 * NormalizeScore over the candidate nodes; `failedNodes` are in the cluster but not scored).
 * Upstream's Service / ReplicaSet objects give default constraints their selector; schedlab reads
 * neither and uses "pods of the same job" (replicas of one template): the cases whose pods
 * "match the service" or belong to the ReplicaSet put them in the incoming pod's job.
 * Not ported: "matchLabelKeys ignored when feature gate disabled" (schedlab always has
 * MatchLabelKeysInPodTopologySpread), BenchmarkTestPodTopologySpreadScore.
 */
const H = HOSTNAME_KEY;
const host = (name: string, extra: Record<string, string> = {}, t?: SpreadNode[2]): SpreadNode => [name, { [H]: name, ...extra }, t];
const zh = (name: string, zone: string): SpreadNode => [name, { zone, [H]: name }];
const foo = (node: string, n = 1): Existing[] => Array.from({ length: n }, () => [node, { foo: '' }] as Existing);
const fooPod = (...spread: ReturnType<typeof sc>[]): SpreadPod => ({ labels: { foo: '' }, spread });
const foobarPod = (...spread: ReturnType<typeof sc>[]): SpreadPod => ({ labels: { foo: '', bar: '' }, spread });
const SYSTEM: PodTopologySpreadArgs = { defaultingType: 'System', defaultConstraints: [] };
const LIST: PodTopologySpreadArgs = { defaultingType: 'List', defaultConstraints: [] };

function scoreOn(h: KubeHarness, pod: SpreadPod, candidates: string[], args: PodTopologySpreadArgs = SYSTEM) {
  return h.score(new PodTopologySpread(args), { constraints: spreadConstraints(pod) }, { names: candidates }).scores;
}
/** Scores over `nodes` with `failed` nodes also in the cluster (running pods count there). */
function scores(pod: SpreadPod, existing: Existing[], nodes: SpreadNode[], failed: SpreadNode[] = []) {
  return scoreOn(spreadHarness([...nodes, ...failed], existing), pod, nodes.map((n) => n[0]));
}

describe('podtopologyspread/scoring_test.go TestPreScoreSkip', () => {
  it("the pod doesn't have soft topology spread Constraints", () => {
    const h = spreadHarness([host('node-a'), host('node-b')]);
    expect(h.score(new PodTopologySpread(LIST), { constraints: spreadConstraints({ ns: 'default' }) }).constant).toBe(0);
  });
  // DEVIATION (README): upstream skips — the pod's owner rs2 does not exist, so no selector.
  // schedlab reads no ReplicaSets: the labelled pod's job is its owner and the default applies.
  it("default constraints and a replicaset that doesn't match (deviation)", () => {
    const h = spreadHarness([['node-a', { planet: 'mars' }]]);
    const args: PodTopologySpreadArgs = { defaultingType: 'List', defaultConstraints: [{ maxSkew: 2, topologyKey: 'planet', whenUnsatisfiable: 'ScheduleAnyway' }] };
    const r = h.score(new PodTopologySpread(args), { constraints: spreadConstraints({ ns: 'default', labels: { foo: 'bar', baz: 'sup' } }) });
    expect(r.constant).toBeUndefined();
    expect(r.scores).toEqual({ 'node-a': 100 });
  });
});

describe('podtopologyspread/scoring_test.go TestPreScoreStateEmptyNodes', () => {
  const w = (size: number) => Math.log(size + 2); // topologyNormalizingWeight
  type Row = [key: string, maxSkew: number, affinity?: 'Honor' | 'Ignore', taints?: 'Honor' | 'Ignore'];
  function state(pod: SpreadPod, nodes: SpreadNode[], args: PodTopologySpreadArgs = LIST) {
    const h = spreadHarness(nodes);
    const plugin = new PodTopologySpread(args);
    const names = nodes.map((n) => n[0]);
    const r = h.score(plugin, { constraints: spreadConstraints(pod) }, { names });
    expect(r.constant).toBeUndefined();
    const s = plugin.preScoreState(names.length);
    return {
      constraints: s.constraints.map((c) => [c.topologyKey, c.maxSkew, c.nodeAffinityPolicy, c.nodeTaintsPolicy]),
      ignored: s.ignored.map((j) => names[j]),
      pairCounts: s.pairCounts,
      weights: s.weights,
    };
  }
  const want = (constraints: Row[], ignored: string[], pairCounts: Record<string, number>, weights: number[]) => ({
    constraints: constraints.map(([k, m, a, t]) => [k, m, a ?? 'Honor', t ?? 'Ignore']),
    ignored,
    pairCounts,
    weights,
  });
  const abx = (): SpreadNode[] => [zh('node-a', 'zone1'), zh('node-b', 'zone1'), zh('node-x', 'zone2')];
  const zones12 = { 'zone/zone1': 0, 'zone/zone2': 0 };
  it('normal case', () => {
    const pod = fooPod(sc(1, 'zone', 'ScheduleAnyway', fooSelector), sc(1, H, 'ScheduleAnyway', fooSelector));
    expect(state(pod, abx())).toEqual(want([['zone', 1], [H, 1]], [], zones12, [w(2), w(3)]));
  });
  it('null selector', () => {
    expect(state(fooPod(sc(1, 'zone', 'ScheduleAnyway', undefined)), abx())).toEqual(want([['zone', 1]], [], zones12, [w(2)]));
  });
  it("node-x doesn't have label zone", () => {
    const pod = fooPod(sc(1, 'zone', 'ScheduleAnyway', fooSelector), sc(1, H, 'ScheduleAnyway', barSelector));
    const nodes: SpreadNode[] = [zh('node-a', 'zone1'), zh('node-b', 'zone1'), host('node-x')];
    expect(state(pod, nodes)).toEqual(want([['zone', 1], [H, 1]], ['node-x'], { 'zone/zone1': 0 }, [w(1), w(2)]));
  });
  // Upstream: the pod's ReplicaSet rs1 (selector foo) gives the defaults their selector.
  it('system default constraints and a replicaset', () => {
    const nodes: SpreadNode[] = [host('node-a', { [ZONE_KEY]: 'mars' }), host('node-b', { [ZONE_KEY]: 'mars' }), host('node-c'), host('node-d')];
    expect(state({ ns: 'default', labels: { foo: 'tar', baz: 'sup' } }, nodes, SYSTEM)).toEqual(
      want([[H, 3], [ZONE_KEY, 5]], [], { [`${ZONE_KEY}/mars`]: 0, [`${ZONE_KEY}/`]: 0 }, [w(4), w(2)]),
    );
  });
  it('default constraints and a replicaset', () => {
    const args: PodTopologySpreadArgs = {
      defaultingType: 'List',
      defaultConstraints: [
        { maxSkew: 1, topologyKey: H, whenUnsatisfiable: 'ScheduleAnyway' },
        { maxSkew: 2, topologyKey: 'rack', whenUnsatisfiable: 'DoNotSchedule' },
        { maxSkew: 2, topologyKey: 'planet', whenUnsatisfiable: 'ScheduleAnyway' },
      ],
    };
    const nodes: SpreadNode[] = [['node-a', { rack: 'rack1', [H]: 'node-a', planet: 'mars' }]];
    expect(state({ ns: 'default', labels: { foo: 'tar', baz: 'sup' } }, nodes, args)).toEqual(
      want([[H, 1], ['planet', 2]], [], { 'planet/mars': 0 }, [w(1), w(1)]),
    );
  });
  it('default constraints and a replicaset, but pod has constraints', () => {
    const pod: SpreadPod = {
      ns: 'default',
      labels: { foo: 'bar', baz: 'sup' },
      spread: [sc(1, 'zone', 'DoNotSchedule', barSelector), sc(2, 'planet', 'ScheduleAnyway', { matchLabels: { baz: 'sup' } })],
    };
    const args: PodTopologySpreadArgs = { defaultingType: 'List', defaultConstraints: [{ maxSkew: 2, topologyKey: 'galaxy', whenUnsatisfiable: 'ScheduleAnyway' }] };
    expect(state(pod, [['node-a', { planet: 'mars', galaxy: 'andromeda' }]], args)).toEqual(want([['planet', 2]], [], { 'planet/mars': 0 }, [w(1)]));
  });
  const fooNodes = (t = false): SpreadNode[] => [
    ['node-a', { zone: 'zone1', foo: '', [H]: 'node-a' }],
    ['node-b', { zone: 'zone1', foo: '', [H]: 'node-b' }],
    t ? ['node-x', { zone: 'zone2', [H]: 'node-x' }, taints] : ['node-x', { zone: 'zone2', [H]: 'node-x' }],
  ];
  const fooIn = [{ matchExpressions: [{ key: 'foo', operator: 'In' as const, values: [''] }] }];
  it('NodeAffinityPolicy honored with labelSelectors', () => {
    const pod: SpreadPod = { ...fooPod(sc(1, 'zone', 'ScheduleAnyway', barSelector)), nodeSelector: { foo: '' } };
    expect(state(pod, fooNodes())).toEqual(want([['zone', 1]], [], zones12, [w(2)]));
  });
  it('NodeAffinityPolicy ignored with labelSelectors', () => {
    const pod: SpreadPod = { ...fooPod(sc(1, 'zone', 'ScheduleAnyway', barSelector, { nodeAffinityPolicy: 'Ignore' })), nodeSelector: { foo: '' } };
    expect(state(pod, fooNodes())).toEqual(want([['zone', 1, 'Ignore']], [], zones12, [w(2)]));
  });
  it('NodeAffinityPolicy honored with nodeAffinity', () => {
    const pod: SpreadPod = { ...fooPod(sc(1, 'zone', 'ScheduleAnyway', barSelector)), requiredNodeAffinity: fooIn };
    expect(state(pod, fooNodes())).toEqual(want([['zone', 1]], [], zones12, [w(2)]));
  });
  it('NodeAffinityPolicy ignored with nodeAffinity', () => {
    const pod: SpreadPod = { ...fooPod(sc(1, 'zone', 'ScheduleAnyway', barSelector, { nodeAffinityPolicy: 'Ignore' })), requiredNodeAffinity: fooIn };
    expect(state(pod, fooNodes())).toEqual(want([['zone', 1, 'Ignore']], [], zones12, [w(2)]));
  });
  it('NodeTaintsPolicy honored', () => {
    expect(state(fooPod(sc(1, 'zone', 'ScheduleAnyway', barSelector, { nodeTaintsPolicy: 'Honor' })), fooNodes(true))).toEqual(
      want([['zone', 1, 'Honor', 'Honor']], [], zones12, [w(2)]),
    );
  });
  it('NodeTaintsPolicy ignored', () => {
    expect(state(fooPod(sc(1, 'zone', 'ScheduleAnyway', barSelector)), fooNodes(true))).toEqual(want([['zone', 1]], [], zones12, [w(2)]));
  });
});

describe('podtopologyspread/scoring_test.go TestPodTopologySpreadScore', () => {
  const hostFoo = (maxSkew = 1) => fooPod(sc(maxSkew, H, 'ScheduleAnyway', fooSelector));
  const hosts = (...names: string[]) => names.map((n) => host(n));
  const twoOneZeroThree = [...foo('node-a', 2), ...foo('node-b'), ...foo('node-d', 3)];
  const fourThreeTwoOne = [...foo('node-a', 4), ...foo('node-b', 3), ...foo('node-c', 2), ...foo('node-d')];
  const fourTwoOneThree = [...foo('node-a', 4), ...foo('node-b', 2), ...foo('node-x'), ...foo('node-y', 3)];
  it('one constraint on node, no existing pods', () => {
    expect(scores(hostFoo(), [], hosts('node-a', 'node-b'))).toEqual({ 'node-a': 100, 'node-b': 100 });
  });
  it('one constraint on node, only one node is candidate', () => {
    expect(scores(hostFoo(), [...foo('node-a', 2), ...foo('node-b')], hosts('node-a'), hosts('node-b'))).toEqual({ 'node-a': 100 });
  });
  it('one constraint on node, all nodes have the same number of matching pods', () => {
    expect(scores(hostFoo(), [...foo('node-a'), ...foo('node-b')], hosts('node-a', 'node-b'))).toEqual({ 'node-a': 100, 'node-b': 100 });
  });
  it('one constraint on node, all 4 nodes are candidates', () => {
    expect(scores(hostFoo(), twoOneZeroThree, hosts('node-a', 'node-b', 'node-c', 'node-d'))).toEqual({ 'node-a': 20, 'node-b': 60, 'node-c': 100, 'node-d': 0 });
  });
  it('one constraint on node, null selector', () => {
    expect(scores(fooPod(sc(1, H, 'ScheduleAnyway', undefined)), twoOneZeroThree, hosts('node-a', 'node-b', 'node-c', 'node-d'))).toEqual({
      'node-a': 100,
      'node-b': 100,
      'node-c': 100,
      'node-d': 100,
    });
  });
  it('one constraint on node, all 4 nodes are candidates, maxSkew=2', () => {
    expect(scores(hostFoo(2), twoOneZeroThree, hosts('node-a', 'node-b', 'node-c', 'node-d'))).toEqual({ 'node-a': 33, 'node-b': 66, 'node-c': 100, 'node-d': 16 });
  });
  it('one constraint on node, all 4 nodes are candidates, maxSkew=3', () => {
    expect(scores(hostFoo(3), fourThreeTwoOne, hosts('node-a', 'node-b', 'node-c', 'node-d'))).toEqual({ 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 });
  });
  it("system defaulting, nodes don't have zone, pods match service", () => {
    // The pods "matching the service" are the incoming pod's fellow replicas: its job.
    const h = new KubeHarness(
      schema('cpu'),
      hosts('node-a', 'node-b', 'node-c', 'node-d').map(([name, labels]) => ({ name, labels })),
      fourThreeTwoOne.map(([node, labels]): PodDef => ({ node, job: INCOMING_JOB, constraints: { labels } })),
    );
    expect(scoreOn(h, { labels: { foo: '' } }, ['node-a', 'node-b', 'node-c', 'node-d'])).toEqual({ 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 });
  });
  it('one constraint on node, 3 out of 4 nodes are candidates', () => {
    expect(scores(hostFoo(), fourTwoOneThree, hosts('node-a', 'node-b', 'node-x'), hosts('node-y'))).toEqual({ 'node-a': 33, 'node-b': 83, 'node-x': 100 });
  });
  it("one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key", () => {
    const nodes: SpreadNode[] = [host('node-a'), ['node-b', { n: 'node-b' }], host('node-x')];
    expect(scores(hostFoo(), fourTwoOneThree, nodes, hosts('node-y'))).toEqual({ 'node-a': 16, 'node-b': 0, 'node-x': 100 });
  });
  it('one constraint on zone, 3 out of 4 nodes are candidates', () => {
    const pod = fooPod(sc(1, 'zone', 'ScheduleAnyway', fooSelector));
    expect(scores(pod, fourTwoOneThree, [zh('node-a', 'zone1'), zh('node-b', 'zone1'), zh('node-x', 'zone2')], [zh('node-y', 'zone2')])).toEqual({
      'node-a': 75,
      'node-b': 75,
      'node-x': 100,
    });
  });
  it('two Constraints on zone and node, 2 out of 4 nodes are candidates', () => {
    const pod = fooPod(sc(1, 'zone', 'ScheduleAnyway', fooSelector), sc(1, H, 'ScheduleAnyway', fooSelector));
    const existing = [...foo('node-a', 2), ...foo('node-b'), ...foo('node-x', 2), ...foo('node-y', 4)];
    expect(scores(pod, existing, [zh('node-a', 'zone1'), zh('node-x', 'zone2')], [zh('node-b', 'zone1'), zh('node-y', 'zone2')])).toEqual({
      'node-a': 100,
      'node-x': 63,
    });
  });
  const zoneFooHostBar = foobarPod(sc(1, 'zone', 'ScheduleAnyway', fooSelector), sc(1, H, 'ScheduleAnyway', barSelector));
  const abxy = () => [zh('node-a', 'zone1'), zh('node-b', 'zone1'), zh('node-x', 'zone2'), zh('node-y', 'zone2')];
  const mixed: Existing[] = [['node-a', { foo: '' }], ['node-b', { foo: '', bar: '' }], ['node-y', { foo: '' }], ['node-y', { bar: '' }]];
  it('two Constraints on zone and node, with different labelSelectors', () => {
    expect(scores(zoneFooHostBar, mixed, abxy())).toEqual({ 'node-a': 60, 'node-b': 20, 'node-x': 100, 'node-y': 60 });
  });
  it('two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods', () => {
    const existing: Existing[] = [['node-b', { bar: '' }], ['node-x', { foo: '' }], ['node-y', { foo: '', bar: '' }]];
    expect(scores(zoneFooHostBar, existing, abxy())).toEqual({ 'node-a': 100, 'node-b': 60, 'node-x': 40, 'node-y': 0 });
  });
  it('two Constraints on zone and node, with different labelSelectors, 3 out of 4 nodes are candidates', () => {
    expect(scores(zoneFooHostBar, mixed, abxy().slice(0, 3), [zh('node-y', 'zone2')])).toEqual({ 'node-a': 50, 'node-b': 25, 'node-x': 100 });
  });
  it('existing pods in a different namespace do not count', () => {
    const existing: Existing[] = [['node-a', { foo: '' }, 'ns1'], ['node-a', { foo: '' }], ['node-b', { foo: '' }], ['node-b', { foo: '' }]];
    expect(scores(hostFoo(), existing, hosts('node-a', 'node-b'))).toEqual({ 'node-a': 100, 'node-b': 33 });
  });
  it('terminating Pods should be excluded', () => {
    // schedlab has no terminating state: upstream's terminating p-a (node-a) is simply not running.
    expect(scores(hostFoo(), foo('node-b'), hosts('node-a', 'node-b'))).toEqual({ 'node-a': 100, 'node-b': 0 });
  });
  const nodeKey = (name: string, extra: Record<string, string> = {}, t?: SpreadNode[2]): SpreadNode => [name, { node: name, ...extra }, t];
  const twoTwoOne = [...foo('node-a', 2), ...foo('node-b', 2), ...foo('node-c')];
  it('minDomains has no effect when ScheduleAnyway', () => {
    const pod = fooPod(sc(2, 'node', 'ScheduleAnyway', fooSelector, { minDomains: 10 }));
    expect(scores(pod, twoTwoOne, [nodeKey('node-a'), nodeKey('node-b'), nodeKey('node-c')])).toEqual({ 'node-a': 75, 'node-b': 75, 'node-c': 100 });
  });
  const abcFoo = (): SpreadNode[] => [nodeKey('node-a', { foo: '' }), nodeKey('node-b', { foo: '' }), nodeKey('node-c')];
  const abcTaint = (): SpreadNode[] => [nodeKey('node-a'), nodeKey('node-b'), nodeKey('node-c', {}, taints)];
  const twoOneOne = [...foo('node-a', 2), ...foo('node-b'), ...foo('node-c')];
  const fooIn = [{ matchExpressions: [{ key: 'foo', operator: 'In' as const, values: [''] }] }];
  const nodeFoo = (opts = {}) => fooPod(sc(1, 'node', 'ScheduleAnyway', fooSelector, opts));
  it('NodeAffinityPolicy honoed with labelSelectors', () => {
    expect(scores({ ...nodeFoo(), nodeSelector: { foo: '' } }, twoOneOne, abcFoo())).toEqual({ 'node-a': 0, 'node-b': 33, 'node-c': 100 });
  });
  it('NodeAffinityPolicy ignored with labelSelectors', () => {
    expect(scores({ ...nodeFoo({ nodeAffinityPolicy: 'Ignore' }), nodeSelector: { foo: '' } }, twoOneOne, abcFoo())).toEqual({ 'node-a': 66, 'node-b': 100, 'node-c': 100 });
  });
  it('NodeAffinityPolicy honoed with nodeAffinity', () => {
    expect(scores({ ...nodeFoo(), requiredNodeAffinity: fooIn }, twoOneOne, abcFoo())).toEqual({ 'node-a': 0, 'node-b': 33, 'node-c': 100 });
  });
  it('NodeAffinityPolicy ignored with nodeAffinity', () => {
    expect(scores({ ...nodeFoo({ nodeAffinityPolicy: 'Ignore' }), requiredNodeAffinity: fooIn }, twoOneOne, abcFoo())).toEqual({ 'node-a': 66, 'node-b': 100, 'node-c': 100 });
  });
  it('NodeTaintsPolicy honored', () => {
    expect(scores(nodeFoo({ nodeTaintsPolicy: 'Honor' }), twoOneOne, abcTaint())).toEqual({ 'node-a': 0, 'node-b': 33, 'node-c': 100 });
  });
  it('NodeTaintsPolicy ignored', () => {
    expect(scores(nodeFoo(), twoOneOne, abcTaint())).toEqual({ 'node-a': 66, 'node-b': 100, 'node-c': 100 });
  });
  const abcd = () => [zh('node-a', 'zone1'), zh('node-b', 'zone1'), zh('node-c', 'zone2'), zh('node-d', 'zone2')];
  it('matchLabelKeys ANDed with LabelSelector when LabelSelector is empty', () => {
    const pod = foobarPod(sc(1, 'zone', 'ScheduleAnyway', {}, { matchLabelKeys: ['foo'] }), sc(1, H, 'ScheduleAnyway', {}, { matchLabelKeys: ['bar'] }));
    const existing: Existing[] = [['node-a', { foo: '' }], ['node-b', { foo: '', bar: '' }], ['node-c', { foo: '' }], ['node-c', { bar: '' }]];
    expect(scores(pod, existing, abcd())).toEqual({ 'node-a': 60, 'node-b': 20, 'node-c': 60, 'node-d': 100 });
  });
  it("matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty", () => {
    const pod: SpreadPod = {
      labels: { foo: '', bar: '', baz: '' },
      spread: [sc(1, 'zone', 'ScheduleAnyway', fooSelector), sc(1, H, 'ScheduleAnyway', barSelector, { matchLabelKeys: ['baz'] })],
    };
    const existing: Existing[] = [
      ['node-a', { foo: '' }],
      ['node-b', { foo: '', bar: '', baz: '' }],
      ['node-c', { foo: '' }],
      ['node-c', { bar: '' }],
      ['node-c', { bar: '', baz: '' }],
    ];
    expect(scores(pod, existing, abcd())).toEqual({ 'node-a': 60, 'node-b': 20, 'node-c': 60, 'node-d': 100 });
  });
});
