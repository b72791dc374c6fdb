import type { Cycle, FilterPlugin, PreFilterStatus } from './plugin.js';

/**
 * NodePorts (pkg/scheduler/framework/plugins/nodeports): every host port the pod binds must be
 * free on the node. Ports conflict per (protocol, port) — TCP, UDP and SCTP are separate — and by
 * host IP: the same IP, or 0.0.0.0 (every address) on either side (framework.HostPortInfo
 * CheckConflict). Unset protocol is TCP, unset host IP is 0.0.0.0.
 */
export class NodePorts implements FilterPlugin {
  readonly name = 'NodePorts';

  preFilter(cy: Cycle): PreFilterStatus {
    return cy.pod.hostPorts.length > 0 ? 'active' : 'skip';
  }

  filter(cy: Cycle, node: number): boolean {
    const tracker = cy.shared.tracker;
    for (const p of cy.pod.hostPorts) if (tracker.portConflict(node, p)) return false;
    return true;
  }
}
