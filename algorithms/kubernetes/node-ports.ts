import type { Cycle, FilterPlugin, PreFilterStatus } from './plugin.js';

/**
 * NodePorts: the pod's host ports must be free on the node (kube also keys by protocol and host
 * IP; schedlab's constraints carry TCP ports on all addresses, so a port number is the key).
 */
export class NodePorts implements FilterPlugin {
  readonly name = 'NodePorts';

  preFilter(cy: Cycle): PreFilterStatus {
    return cy.pod.hostPorts.length > 0 ? 'active' : 'skip';
  }

  filter(cy: Cycle, node: number): boolean {
    const tracker = cy.shared.tracker;
    for (const p of cy.pod.hostPorts) if (tracker.portInUse(node, p)) return false;
    return true;
  }
}
