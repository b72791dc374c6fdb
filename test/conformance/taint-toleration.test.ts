import { describe, expect, it } from 'vitest';
import { TaintToleration } from '../../algorithms/kubernetes/taint-toleration.js';
import { toleratesTaint } from '../../model/toleration-matching.js';
import type { Taint, Toleration } from '../../model/placement-constraints.js';
import { KubeHarness, schema } from './helpers/kube-harness.js';

/**
 * Conformance with upstream kube-scheduler:
 * - pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
 *   (kubernetes/kubernetes @ cb6ff2d8): TestTaintTolerationScore (PreScore, Score, NormalizeScore)
 *   and TestTaintTolerationFilter.
 * - staging/src/k8s.io/api/core/v1/toleration_test.go (the version with the Gt / Lt operators of
 *   KEP-5471, TaintTolerationComparisonOperators enabled): TestTolerationToleratesTaint and the
 *   Gt / Lt cases of TestCompareNumericValues, as tolerations of a taint with that value.
 * Not ported: TestIsSchedulableAfterNodeChange, Test_isSchedulableAfterPodChange (queueing hints);
 * TestCompareNumericValues' two cases calling the helper with Equal / Exists (an internal helper's
 * contract; those operators never reach it).
 */
const P = 'PreferNoSchedule' as const;
const N = 'NoSchedule' as const;

function scores(tolerations: Toleration[], nodes: Array<[string, Taint[]]>): Record<string, number> {
  const h = new KubeHarness(schema('cpu', 'memory'), nodes.map(([name, taints]) => ({ name, taints })));
  return h.score(new TaintToleration(), { constraints: { tolerations } }).scores;
}

function fits(tolerations: Toleration[], taints: Taint[]): boolean {
  const h = new KubeHarness(schema('cpu', 'memory'), [{ name: 'nodeA', taints }]);
  return h.filter(new TaintToleration(), { constraints: { tolerations } }).nodes.nodeA;
}

describe('tainttoleration/taint_toleration_test.go TestTaintTolerationScore', () => {
  it('node with taints tolerated by the pod, gets a higher score than those node with intolerable taints', () => {
    expect(scores([{ key: 'foo', operator: 'Equal', value: 'bar', effect: P }], [
      ['nodeA', [{ key: 'foo', value: 'bar', effect: P }]],
      ['nodeB', [{ key: 'foo', value: 'blah', effect: P }]],
    ])).toEqual({ nodeA: 100, nodeB: 0 });
  });
  it('the nodes that all of their taints are tolerated by the pod, get the same score, no matter how many tolerable taints a node has', () => {
    const tol: Toleration[] = [
      { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: P },
      { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: P },
    ];
    expect(scores(tol, [
      ['nodeA', []],
      ['nodeB', [{ key: 'cpu-type', value: 'arm64', effect: P }]],
      ['nodeC', [{ key: 'cpu-type', value: 'arm64', effect: P }, { key: 'disk-type', value: 'ssd', effect: P }]],
    ])).toEqual({ nodeA: 100, nodeB: 100, nodeC: 100 });
  });
  it('the more intolerable taints a node has, the lower score it gets.', () => {
    expect(scores([{ key: 'foo', operator: 'Equal', value: 'bar', effect: P }], [
      ['nodeA', []],
      ['nodeB', [{ key: 'cpu-type', value: 'arm64', effect: P }]],
      ['nodeC', [{ key: 'cpu-type', value: 'arm64', effect: P }, { key: 'disk-type', value: 'ssd', effect: P }]],
    ])).toEqual({ nodeA: 100, nodeB: 50, nodeC: 0 });
  });
  it('only taints and tolerations that have effect PreferNoSchedule are checked by taints-tolerations priority function', () => {
    const tol: Toleration[] = [
      { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: N },
      { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: N },
    ];
    expect(scores(tol, [
      ['nodeA', []],
      ['nodeB', [{ key: 'cpu-type', value: 'arm64', effect: N }]],
      ['nodeC', [{ key: 'cpu-type', value: 'arm64', effect: P }, { key: 'disk-type', value: 'ssd', effect: P }]],
    ])).toEqual({ nodeA: 100, nodeB: 100, nodeC: 0 });
  });
  it('Default behaviour No taints and tolerations, lands on node with no taints', () => {
    expect(scores([], [['nodeA', []], ['nodeB', [{ key: 'cpu-type', value: 'arm64', effect: P }]]])).toEqual({ nodeA: 100, nodeB: 0 });
  });
});

describe('tainttoleration/taint_toleration_test.go TestTaintTolerationFilter', () => {
  const dedicated1: Taint = { key: 'dedicated', value: 'user1', effect: N };
  it("A pod having no tolerations can't be scheduled onto a node with nonempty taints", () => {
    expect(fits([], [dedicated1])).toBe(false);
  });
  it('A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule', () => {
    expect(fits([{ key: 'dedicated', value: 'user1', effect: N }], [dedicated1])).toBe(true);
  });
  it("A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule", () => {
    expect(fits([{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: N }], [dedicated1])).toBe(false);
  });
  it('A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node', () => {
    expect(fits([{ key: 'foo', operator: 'Exists', effect: N }], [{ key: 'foo', value: 'bar', effect: N }])).toBe(true);
  });
  it('A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node', () => {
    expect(fits(
      [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: N }, { key: 'foo', operator: 'Exists', effect: N }],
      [{ key: 'dedicated', value: 'user2', effect: N }, { key: 'foo', value: 'bar', effect: N }],
    )).toBe(true);
  });
  it("A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node", () => {
    expect(fits([{ key: 'foo', operator: 'Equal', value: 'bar', effect: P }], [{ key: 'foo', value: 'bar', effect: N }])).toBe(false);
  });
  it('The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node', () => {
    expect(fits([{ key: 'foo', operator: 'Equal', value: 'bar' }], [{ key: 'foo', value: 'bar', effect: N }])).toBe(true);
  });
  it("The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node", () => {
    expect(fits([{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: N }], [{ key: 'dedicated', value: 'user1', effect: P }])).toBe(true);
  });
  it('The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node', () => {
    expect(fits([], [{ key: 'dedicated', value: 'user1', effect: P }])).toBe(true);
  });
});

describe('core/v1/toleration_test.go TestTolerationToleratesTaint', () => {
  const sla = 'node.kubernetes.io/sla';
  const cases: Array<[string, Toleration, Taint, boolean]> = [
    ['toleration and taint have the same key and effect, and operator is Exists, and taint has no value, expect tolerated', { key: 'foo', operator: 'Exists', effect: N }, { key: 'foo', effect: N }, true],
    ['toleration and taint have the same key and effect, and operator is Exists, and taint has some value, expect tolerated', { key: 'foo', operator: 'Exists', effect: N }, { key: 'foo', value: 'bar', effect: N }, true],
    ['toleration and taint have the same effect, toleration has empty key and operator is Exists, means match all taints, expect tolerated', { key: '', operator: 'Exists', effect: N }, { key: 'foo', value: 'bar', effect: N }, true],
    ['toleration and taint have the same key, effect and value, and operator is Equal, expect tolerated', { key: 'foo', operator: 'Equal', value: 'bar', effect: N }, { key: 'foo', value: 'bar', effect: N }, true],
    ['toleration and taint have the same key and effect, but different values, and operator is Equal, expect not tolerated', { key: 'foo', operator: 'Equal', value: 'value1', effect: N }, { key: 'foo', value: 'value2', effect: N }, false],
    ['toleration and taint have the same key and value, but different effects, and operator is Equal, expect not tolerated', { key: 'foo', operator: 'Equal', value: 'bar', effect: N }, { key: 'foo', value: 'bar', effect: 'NoExecute' }, false],
    ['toleration with Gt operator - taint value less than toleration value, expect not tolerated', { key: sla, operator: 'Gt', value: '950', effect: N }, { key: sla, value: '800', effect: N }, false],
    ['toleration with Gt operator - taint value greater than toleration value, expect tolerated', { key: sla, operator: 'Gt', value: '750', effect: N }, { key: sla, value: '950', effect: N }, true],
    ['toleration with Lt operator - taint value greater than toleration value, expect not tolerated', { key: sla, operator: 'Lt', value: '800', effect: N }, { key: sla, value: '950', effect: N }, false],
    ['toleration with Lt operator - taint value less than toleration value, expect tolerated', { key: sla, operator: 'Lt', value: '950', effect: N }, { key: sla, value: '800', effect: N }, true],
    ['toleration with Gt operator and taint with equal numeric value, expect not tolerated', { key: sla, operator: 'Gt', value: '950', effect: N }, { key: sla, value: '950', effect: N }, false],
    ['toleration with Gt operator and taint with non-numeric value, expect not tolerated', { key: sla, operator: 'Gt', value: '950', effect: N }, { key: sla, value: 'high', effect: N }, false],
    ['toleration with Gt operator and negative numeric values - taint value less than threshold, expect not tolerated', { key: 'test-key', operator: 'Gt', value: '-100', effect: N }, { key: 'test-key', value: '-200', effect: N }, false],
    ['toleration with Gt operator and large int64 values - taint value less than threshold, expect not tolerated', { key: 'test-key', operator: 'Gt', value: '9223372036854775806', effect: N }, { key: 'test-key', value: '100', effect: N }, false],
  ];
  for (const [name, t, taint, expected] of cases) {
    it(name, () => {
      expect(toleratesTaint(t, taint)).toBe(expected);
    });
  }
  it('a Gt toleration lets a pod onto a node whose taint value is larger (TaintToleration filter)', () => {
    expect(fits([{ key: sla, operator: 'Gt', value: '900', effect: N }], [{ key: sla, value: '950', effect: N }])).toBe(true);
    expect(fits([{ key: sla, operator: 'Gt', value: '900', effect: N }], [{ key: sla, value: '850', effect: N }])).toBe(false);
  });
});

describe('core/v1/toleration_test.go TestCompareNumericValues (Gt / Lt)', () => {
  const cases: Array<[string, string, string, 'Gt' | 'Lt', boolean]> = [
    ['Gt operator - taint value greater than toleration value, expect true', '100', '200', 'Gt', true],
    ['Gt operator - taint value less than toleration value, expect false', '200', '100', 'Gt', false],
    ['Gt operator - taint value equal to toleration value, expect false', '100', '100', 'Gt', false],
    ['Gt operator - negative numbers, taint greater, expect true', '-100', '-50', 'Gt', true],
    ['Gt operator - negative numbers, taint less, expect false', '-50', '-100', 'Gt', false],
    ['Gt operator - zero and positive, expect true', '0', '1', 'Gt', true],
    ['Gt operator - large int64 values, taint greater, expect true', '9223372036854775806', '9223372036854775807', 'Gt', true],
    ['Lt operator - taint value less than toleration value, expect true', '200', '100', 'Lt', true],
    ['Lt operator - taint value greater than toleration value, expect false', '100', '200', 'Lt', false],
    ['Lt operator - taint value equal to toleration value, expect false', '100', '100', 'Lt', false],
    ['Lt operator - negative numbers, taint less, expect true', '-50', '-100', 'Lt', true],
    ['Lt operator - negative numbers, taint greater, expect false', '-100', '-50', 'Lt', false],
    ['Lt operator - zero and negative, expect true', '0', '-1', 'Lt', true],
    ['Gt operator - invalid toleration value (non-numeric), expect false', 'abc', '100', 'Gt', false],
    ['Gt operator - invalid toleration value (empty string), expect false', '', '100', 'Gt', false],
    ['Gt operator - invalid toleration value (leading zero), expect false', '0100', '200', 'Gt', false],
    ['Gt operator - invalid toleration value (plus sign), expect false', '+100', '200', 'Gt', false],
    ['Gt operator - invalid toleration value (floating point), expect false', '100.5', '200', 'Gt', false],
    ['Gt operator - invalid toleration value (just minus sign), expect false', '-', '100', 'Gt', false],
    ['Gt operator - invalid taint value (non-numeric), expect false', '100', 'xyz', 'Gt', false],
    ['Gt operator - invalid taint value (empty string), expect false', '100', '', 'Gt', false],
    ['Gt operator - invalid taint value (leading zero), expect false', '100', '0200', 'Gt', false],
    ['Lt operator - invalid taint value (plus sign), expect false', '100', '+200', 'Lt', false],
    ['Lt operator - invalid taint value (spaces), expect false', '100', ' 200 ', 'Lt', false],
    ['Gt operator - both zero, expect false', '0', '0', 'Gt', false],
    ['Lt operator - both zero, expect false', '0', '0', 'Lt', false],
    ['Gt operator - max int64 as taint, expect true', '0', '9223372036854775807', 'Gt', true],
    ['Lt operator - min int64 as taint, expect true', '0', '-9223372036854775808', 'Lt', true],
  ];
  for (const [name, tolerationVal, taintVal, operator, expected] of cases) {
    it(name, () => {
      expect(toleratesTaint({ key: 'k', operator, value: tolerationVal }, { key: 'k', value: taintVal, effect: N })).toBe(expected);
    });
  }
});
