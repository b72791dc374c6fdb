import type { Taint } from '../../model/placement-constraints.js';
import { NodeFlag } from './node-facts.js';
import type { Cycle, FilterPlugin, PreFilterStatus } from './plugin.js';
import { toleratedBy } from '../../model/toleration-matching.js';
import { untoleratedTaintReason } from './unschedulable-reasons.js';

const MEMORY_PRESSURE: Taint = { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' };
const DISK_PRESSURE: Taint = { key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' };
const PID_PRESSURE: Taint = { key: 'node.kubernetes.io/pid-pressure', effect: 'NoSchedule' };

/**
 * NodeConditions (schedlab's name; the legacy predicates CheckNodeMemoryPressure,
 * CheckNodeDiskPressure, CheckNodePIDPressure): a node under MemoryPressure takes no BestEffort
 * pod; one under DiskPressure or PIDPressure takes no pod at all (../shared/docs/models.md). Current kube
 * expresses the same through node.kubernetes.io/*-pressure taints, so a pod tolerating that taint
 * passes.
 */
export class NodeConditions implements FilterPlugin {
  readonly name = 'NodeConditions';
  private blocked = 0;

  preFilter(cy: Cycle): PreFilterStatus {
    const any = cy.shared.facts.anyFlags;
    if ((any & (NodeFlag.MemoryPressure | NodeFlag.DiskPressure | NodeFlag.PidPressure)) === 0) return 'skip';
    const tol = cy.pod.tolerations;
    let b = 0;
    if (cy.isBestEffort() && !toleratedBy(tol, MEMORY_PRESSURE)) b |= NodeFlag.MemoryPressure;
    if (!toleratedBy(tol, DISK_PRESSURE)) b |= NodeFlag.DiskPressure;
    if (!toleratedBy(tol, PID_PRESSURE)) b |= NodeFlag.PidPressure;
    this.blocked = b & any;
    return this.blocked === 0 ? 'skip' : 'active';
  }

  filter(cy: Cycle, node: number): boolean {
    return (cy.shared.facts.flags[node] & this.blocked) === 0;
  }

  /** The pressure taint kube puts on such a node (TaintNodesByCondition), as TaintToleration names it. */
  reason(cy: Cycle, node: number): string {
    const f = cy.shared.facts.flags[node] & this.blocked;
    return untoleratedTaintReason(f & NodeFlag.MemoryPressure ? MEMORY_PRESSURE : f & NodeFlag.DiskPressure ? DISK_PRESSURE : PID_PRESSURE);
  }
}
