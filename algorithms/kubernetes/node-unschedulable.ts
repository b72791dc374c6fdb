import type { Taint } from '../../model/placement-constraints.js';
import { NodeFlag } from './node-facts.js';
import type { Cycle, FilterPlugin, PreFilterStatus } from './plugin.js';
import { toleratedBy } from '../../model/toleration-matching.js';

/** The taint kube-scheduler's NodeUnschedulable plugin lets a pod tolerate to land on a cordoned node. */
export const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods tolerating that taint. */
export class NodeUnschedulable implements FilterPlugin {
  readonly name = 'NodeUnschedulable';
  private tolerates = false;

  preFilter(cy: Cycle): PreFilterStatus {
    if ((cy.shared.facts.anyFlags & NodeFlag.Unschedulable) === 0) return 'skip';
    this.tolerates = toleratedBy(cy.pod.tolerations, UNSCHEDULABLE_TAINT);
    return this.tolerates ? 'skip' : 'active';
  }

  filter(cy: Cycle, node: number): boolean {
    return (cy.shared.facts.flags[node] & NodeFlag.Unschedulable) === 0;
  }
}
