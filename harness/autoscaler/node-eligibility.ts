import type { PlacementConstraints, Taint } from '../../model/placement-constraints.js';
import { matchesAnyTerm, matchesNodeSelector } from '../../model/node-selector-matching.js';
import { taintsTolerated } from '../../model/toleration-matching.js';

/**
 * Would a pod with these constraints be admitted by a node with these labels and taints, its
 * resources aside? The node-level checks of kube-scheduler's filters that a template node can
 * answer (cluster-autoscaler FAQ.md "Does CA respect node affinity when selecting node groups to
 * scale up?": nodeSelector and requiredDuringSchedulingIgnoredDuringExecution are honoured, soft
 * preferences are not): spec.nodeName (NodeName), nodeSelector and required node affinity
 * (NodeAffinity), NoSchedule / NoExecute taints (TaintToleration), the allowed GPU models.
 *
 * Not checked (a stated simplification of upstream, which runs every scheduler predicate on the
 * template): pod (anti-)affinity, topology spread and host ports, which depend on the pods around
 * the node; the scheduler itself still applies them when it places the pods.
 */
export function constraintsAdmit(c: PlacementConstraints | undefined, nodeName: string, labels: Readonly<Record<string, string>>, taints: readonly Taint[] | undefined, gpuModel?: string): boolean {
  if (c === undefined) return taints === undefined || taintsTolerated(taints, undefined);
  if (c.nodeName !== undefined && c.nodeName !== nodeName) return false;
  if (c.nodeSelector !== undefined && !matchesNodeSelector(labels, c.nodeSelector)) return false;
  if (c.requiredNodeAffinity !== undefined && c.requiredNodeAffinity.length > 0 && !matchesAnyTerm(labels, c.requiredNodeAffinity, nodeName)) return false;
  if (!taintsTolerated(taints, c.tolerations)) return false;
  if (c.gpuModels !== undefined && c.gpuModels.length > 0 && (gpuModel === undefined || !c.gpuModels.includes(gpuModel))) return false;
  return true;
}

/**
 * Per job and per target (a group's template, an instance type), the answer of constraintsAdmit,
 * computed once: pods of one job share their constraints, so the check is O(1) after the first
 * pod. 0 = not asked yet, 1 = admits, 2 = refuses.
 */
export class EligibilityCache {
  private cells: Uint8Array;

  constructor(private readonly targets: number) {
    this.cells = new Uint8Array(Math.max(16, targets * 64));
  }

  get(job: number, target: number, compute: () => boolean): boolean {
    const at = job * this.targets + target;
    if (at >= this.cells.length) {
      const grown = new Uint8Array(Math.max(at + 1, this.cells.length * 2));
      grown.set(this.cells);
      this.cells = grown;
    }
    let v = this.cells[at];
    if (v === 0) {
      v = compute() ? 1 : 2;
      this.cells[at] = v;
    }
    return v === 1;
  }
}
