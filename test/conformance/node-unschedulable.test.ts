import { describe, expect, it } from 'vitest';
import { NodeUnschedulable } from '../../algorithms/kubernetes/node-unschedulable.js';
import { KubeHarness, schema } from './helpers/kube-harness.js';

/**
 * Conformance with upstream kube-scheduler:
 * pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable_test.go
 * (kubernetes/kubernetes @ b574b11f), TestNodeUnschedulable. A cordoned node (spec.unschedulable)
 * takes only pods tolerating node.kubernetes.io/unschedulable:NoSchedule.
 * Not ported: TestIsSchedulableAfterNodeChange (queueing hints; schedlab retries on any change).
 */
describe('nodeunschedulable/node_unschedulable_test.go TestNodeUnschedulable', () => {
  const run = (unschedulable: boolean, tolerations = false) => {
    const h = new KubeHarness(schema('cpu', 'memory'), [{ name: 'n', unschedulable }]);
    const constraints = tolerations ? { tolerations: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const }] } : undefined;
    return h.filter(new NodeUnschedulable(), { constraints }).nodes.n;
  };

  it('Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)', () => {
    expect(run(true)).toBe(false);
  });
  it('Schedule pod to normal node', () => {
    expect(run(false)).toBe(true);
  });
  it('Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)', () => {
    expect(run(true, true)).toBe(true);
  });
});
