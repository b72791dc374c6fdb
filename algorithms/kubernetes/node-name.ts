import type { Cycle, FilterPlugin, PreFilterStatus } from './plugin.js';

/**
 * NodeName: a pod with spec.nodeName may only go to that node. PreFilter narrows the search to
 * it (kube's PreFilterResult), so a pinned pod costs one fit check, not a cluster scan.
 */
export class NodeName implements FilterPlugin {
  readonly name = 'NodeName';

  preFilter(cy: Cycle): PreFilterStatus {
    const want = cy.pod.constraints?.nodeName;
    if (!want) return 'skip';
    const node = cy.shared.facts.nodeById(want);
    if (node === undefined || !cy.cluster.up[node]) return 'reject';
    cy.onlyNodes = cy.onlyNodes ? cy.onlyNodes.filter((n) => n === node) : [node];
    return 'active';
  }

  filter(cy: Cycle, node: number): boolean {
    return cy.cluster.ids[node] === cy.pod.constraints?.nodeName;
  }
}
