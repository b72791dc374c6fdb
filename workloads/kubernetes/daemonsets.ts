import type { PlacementConstraints, Toleration } from '../../model/placement-constraints.js';
import type { MachineSpec } from '../../model/machine.js';
import { nodeSelectorMatches, requiredAffinityMatches, taintsTolerated } from './node-matching.js';

/**
 * Tolerations the DaemonSet controller adds to every daemon pod
 * (pkg/controller/daemon/util AddOrUpdateDaemonPodTolerations): daemons keep running on nodes that
 * are not ready, unreachable, under pressure or cordoned; with hostNetwork, also on nodes whose
 * network is not set up.
 */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

/** The template's tolerations plus the daemon defaults not already present (same key and effect). */
export function withDaemonTolerations(own: Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = [...(own ?? [])];
  for (const d of daemonTolerations(hostNetwork)) {
    if (!out.some((t) => t.key === d.key && t.effect === d.effect)) out.push(d);
  }
  return out;
}

/**
 * Does the DaemonSet want a pod on this node? As nodeShouldRunDaemonPod: the template's node
 * selector and required node affinity match the node's labels, and the node's NoSchedule /
 * NoExecute taints are tolerated (daemon tolerations included). A cordoned node still gets one:
 * daemons tolerate node.kubernetes.io/unschedulable. Resources are not checked here: a daemon pod
 * that does not fit waits, as in Kubernetes.
 */
export function daemonWantsNode(c: PlacementConstraints, node: MachineSpec): boolean {
  const labels = node.labels ?? {};
  return (
    nodeSelectorMatches(c.nodeSelector, labels) &&
    requiredAffinityMatches(c.requiredNodeAffinity, labels) &&
    taintsTolerated(node.taints, c.tolerations)
  );
}
