import { describe, expect, it } from 'vitest';
import { NodeAffinity, type NodeAffinityArgs } from '../../algorithms/kubernetes/node-affinity.js';
import type { NodeSelectorRequirement, NodeSelectorTerm, PlacementConstraints, PreferredSchedulingTerm } from '../../model/placement-constraints.js';
import { KubeHarness, schema } from './helpers/kube-harness.js';

/**
 * Conformance with upstream kube-scheduler:
 * pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go (kubernetes/kubernetes @ 17bae91f),
 * TestNodeAffinity (PreFilter + Filter, with the profile's addedAffinity) and TestNodeAffinityPriority
 * (PreScore, Score, NormalizeScore). Upstream's PreFilterResult (the node names a matchFields term
 * pins) only narrows the search in schedlab's framework; the filter outcome it implies is asserted.
 * Not ported: Test_isSchedulableAfterNodeChange (queueing hints).
 */
const expr = (key: string, operator: NodeSelectorRequirement['operator'], values?: string[]): NodeSelectorRequirement => (values ? { key, operator, values } : { key, operator });
const name = (operator: 'In' | 'NotIn', ...values: string[]): NodeSelectorRequirement => ({ key: 'metadata.name', operator, values });
const term = (matchExpressions: NodeSelectorRequirement[], matchFields?: NodeSelectorRequirement[]): NodeSelectorTerm => (matchFields ? { matchExpressions, matchFields } : { matchExpressions });

function fits(c: PlacementConstraints | undefined, labels: Record<string, string> = {}, nodeName = 'node', args: NodeAffinityArgs = {}): { preFilter: string; fits: boolean } {
  const h = new KubeHarness(schema('cpu', 'memory'), [{ name: nodeName, labels }]);
  const r = h.filter(new NodeAffinity(args), { constraints: c });
  return { preFilter: r.preFilter, fits: r.nodes[nodeName] };
}
const required = (...terms: NodeSelectorTerm[]): PlacementConstraints => ({ requiredNodeAffinity: terms });

describe('nodeaffinity/node_affinity_test.go TestNodeAffinity', () => {
  const cases: Array<[string, PlacementConstraints | undefined, Record<string, string>, string, boolean, NodeAffinityArgs?]> = [
    ['missing labels', { nodeSelector: { foo: 'bar' } }, {}, 'node', false],
    ['same labels', { nodeSelector: { foo: 'bar' } }, { foo: 'bar' }, 'node', true],
    ['node labels are superset', { nodeSelector: { foo: 'bar' } }, { foo: 'bar', baz: 'blah' }, 'node', true],
    ['node labels are subset', { nodeSelector: { foo: 'bar', baz: 'blah' } }, { foo: 'bar' }, 'node', false],
    ['Pod with matchExpressions using In operator that matches the existing node', required(term([expr('foo', 'In', ['bar', 'value2'])])), { foo: 'bar' }, 'node', true],
    ['Pod with matchExpressions using Gt operator that matches the existing node', required(term([expr('kernel-version', 'Gt', ['0204'])])), { 'kernel-version': '0206' }, 'node', true],
    ['Pod with matchExpressions using NotIn operator that matches the existing node', required(term([expr('mem-type', 'NotIn', ['DDR', 'DDR2'])])), { 'mem-type': 'DDR3' }, 'node', true],
    ['Pod with matchExpressions using Exists operator that matches the existing node', required(term([expr('GPU', 'Exists')])), { GPU: 'NVIDIA-GRID-K1' }, 'node', true],
    ["Pod with affinity that don't match node's labels won't schedule onto the node", required(term([expr('foo', 'In', ['value1', 'value2'])])), { foo: 'bar' }, 'node', false],
    ["Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node", required(term([])), { foo: 'bar' }, 'node', false],
    ['Pod with multiple matchExpressions ANDed that matches the existing node', required(term([expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])])), { GPU: 'NVIDIA-GRID-K1' }, 'node', true],
    ["Pod with multiple matchExpressions ANDed that doesn't match the existing node", required(term([expr('GPU', 'Exists'), expr('GPU', 'In', ['AMD', 'INTER'])])), { GPU: 'NVIDIA-GRID-K1' }, 'node', false],
    ["Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node", required(term([expr('foo', 'In', ['bar', 'value2'])]), term([expr('diffkey', 'In', ['wrong', 'value2'])])), { foo: 'bar' }, 'node', true],
    ['Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied, will schedule onto the node', { nodeSelector: { foo: 'bar' }, requiredNodeAffinity: [term([expr('foo', 'Exists')])] }, { foo: 'bar' }, 'node', true],
    ["Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) is not satisfied, won't schedule onto the node", { nodeSelector: { foo: 'bar' }, requiredNodeAffinity: [term([expr('foo', 'Exists')])] }, { foo: 'barrrrrr' }, 'node', false],
    ["Pod with an invalid value in Affinity term won't be scheduled onto the node", required(term([expr('foo', 'NotIn', ['invalid value: ___@#$%^'])])), { foo: 'bar' }, 'node', false],
    ['Pod with matchFields using In operator that matches the existing node', required(term([], [name('In', 'node1')])), {}, 'node1', true],
    ['Pod with matchFields using In operator that does not match the existing node', required(term([], [name('In', 'node1')])), {}, 'node2', false],
    ['Pod with two terms: matchFields does not match, but matchExpressions matches', required(term([], [name('In', 'node1'), name('In', 'node2')]), term([expr('foo', 'In', ['bar'])])), { foo: 'bar' }, 'node2', true],
    ['Pod with one term: matchFields does not match, but matchExpressions matches', required(term([expr('foo', 'In', ['bar'])], [name('In', 'node1')])), { foo: 'bar' }, 'node2', false],
    ['Pod with one term: both matchFields and matchExpressions match', required(term([expr('foo', 'In', ['bar'])], [name('In', 'node1')])), { foo: 'bar' }, 'node1', true],
    ['Pod with two terms: both matchFields and matchExpressions do not match', required(term([], [name('In', 'node1')]), term([expr('foo', 'In', ['not-match-to-bar'])])), { foo: 'bar' }, 'node2', false],
    ['Pod with two terms of node.Name affinity', required(term([], [name('In', 'node1')]), term([], [name('In', 'node2')])), {}, 'node2', true],
    ['Pod with two conflicting mach field requirements', required(term([], [name('In', 'node1'), name('In', 'node2')])), { foo: 'bar' }, 'node2', false],
    ["Matches added affinity and Pod's node affinity", required(term([expr('zone', 'In', ['foo'])])), { zone: 'foo' }, 'node2', true, { addedAffinity: { required: [term([], [name('In', 'node2')])] } }],
    ["Matches added affinity but not Pod's node affinity", required(term([expr('zone', 'In', ['bar'])])), { zone: 'foo' }, 'node2', false, { addedAffinity: { required: [term([], [name('In', 'node2')])] } }],
    ["Doesn't match added affinity", undefined, { zone: 'foo' }, 'node2', false, { addedAffinity: { required: [term([expr('zone', 'In', ['bar'])])] } }],
    ['Matches node selector correctly even if PreFilter is not called', { nodeSelector: { foo: 'bar' } }, { foo: 'bar', baz: 'blah' }, 'node', true],
    ['Matches node affinity correctly even if PreFilter is not called', required(term([expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])])), { GPU: 'NVIDIA-GRID-K1' }, 'node', true],
  ];
  for (const [label, c, labels, nodeName, want, args] of cases) {
    it(label, () => {
      expect(fits(c, labels, nodeName, args).fits).toBe(want);
    });
  }
  it('Pod with no Affinity will schedule onto a node', () => {
    expect(fits(undefined, { foo: 'bar' })).toEqual({ preFilter: 'skip', fits: true });
  });
  it('Pod with Affinity but nil NodeSelector will schedule onto a node', () => {
    // An affinity without requiredDuringScheduling terms: nothing for the filter to check.
    expect(fits({ preferredNodeAffinity: [] }, { foo: 'bar' })).toEqual({ preFilter: 'skip', fits: true });
  });
});

describe('nodeaffinity/node_affinity_test.go TestNodeAffinityPriority', () => {
  const label1 = { foo: 'bar' };
  const label2 = { key: 'value' };
  const label3 = { az: 'az1' };
  const label4 = { abc: 'az11', def: 'az22' };
  const label5 = { foo: 'bar', key: 'value', az: 'az1' };
  const pref = (weight: number, ...m: NodeSelectorRequirement[]): PreferredSchedulingTerm => ({ weight, preference: term(m) });
  const affinity1 = [pref(2, expr('foo', 'In', ['bar']))];
  const affinity2 = [pref(2, expr('foo', 'In', ['bar'])), pref(4, expr('key', 'In', ['value'])), pref(5, expr('foo', 'In', ['bar']), expr('key', 'In', ['value']), expr('az', 'In', ['az1']))];

  function scores(preferred: PreferredSchedulingTerm[] | undefined, nodes: Array<[string, Record<string, string>]>, args: NodeAffinityArgs = {}) {
    const h = new KubeHarness(schema('cpu', 'memory'), nodes.map(([n, labels]) => ({ name: n, labels })));
    return h.score(new NodeAffinity(args), { constraints: preferred ? { preferredNodeAffinity: preferred } : undefined });
  }

  it('all nodes are same priority as NodeAffinity is nil', () => {
    expect(scores(undefined, [['node1', label1], ['node2', label2], ['node3', label3]]).scores).toEqual({ node1: 0, node2: 0, node3: 0 });
  });
  it('Skip is returned in PreScore when NodeAffinity is nil', () => {
    expect(scores(undefined, [['node1', label1]]).constant).toBe(0);
  });
  it('PreScore returns error when an incoming Pod has a broken affinity', () => {
    // kube fails the scheduling cycle at PreScore: the pod is never placed. schedlab rejects it at PreFilter.
    const h = new KubeHarness(schema('cpu', 'memory'), [{ name: 'node1', labels: label1 }]);
    expect(h.filter(new NodeAffinity(), { constraints: { preferredNodeAffinity: [pref(2, expr('invalid key', 'In', ['bar']))] } }).preFilter).toBe('reject');
  });
  it("no node matches preferred scheduling requirements in NodeAffinity of pod so all nodes' priority is zero", () => {
    expect(scores(affinity1, [['node1', label4], ['node2', label2], ['node3', label3]]).scores).toEqual({ node1: 0, node2: 0, node3: 0 });
  });
  it('only node1 matches the preferred scheduling requirements of pod', () => {
    expect(scores(affinity1, [['node1', label1], ['node2', label2], ['node3', label3]]).scores).toEqual({ node1: 100, node2: 0, node3: 0 });
  });
  it('all nodes matches the preferred scheduling requirements of pod but with different priorities ', () => {
    expect(scores(affinity2, [['node1', label1], ['node5', label5], ['node2', label2]]).scores).toEqual({ node1: 18, node5: 100, node2: 36 });
  });
  it('added affinity', () => {
    expect(scores(undefined, [['node1', label1], ['node2', label2]], { addedAffinity: { preferred: affinity1 } }).scores).toEqual({ node1: 100, node2: 0 });
  });
  it('added affinity and pod has default affinity', () => {
    const args = { addedAffinity: { preferred: [pref(3, expr('key', 'In', ['value']))] } };
    expect(scores(affinity1, [['node1', label1], ['node2', label2], ['node3', label5]], args).scores).toEqual({ node1: 40, node2: 60, node3: 100 });
  });
  it('calculate the priorities correctly even if PreScore is not called', () => {
    expect(scores(affinity2, [['node1', label1], ['node5', label5], ['node2', label2]]).scores).toEqual({ node1: 18, node5: 100, node2: 36 });
  });
});
