import { StopCause } from '../reactions/reaction-host.js';
import { restartBackoff } from '../kubelet/oom-killer.js';

/**
 * A lost task whose job has no known controller (Workload.controllers[job] undefined: SWF, Azure,
 * Alibaba rows) is requeued as the simulator did before controllers existed: after a kubelet
 * eviction (or an OOM kill that ended it), the kubelet's restart back-off of its eviction count —
 * 10 s · 2^(k−1) capped at 5 min for its k-th (harness/node-dynamics.ts requeueDelay,
 * kubelet/oom-killer.ts restartBackoff); after anything else (its machine removed, preempted,
 * its node lost or drained) at once (harness/simulator.ts removeMachine).
 * `priorLosses` = the task's earlier kubelet losses.
 */
export function uncontrolledRequeueDelay(cause: StopCause, priorLosses: number): number {
  if (cause === StopCause.EvictedByKubelet || cause === StopCause.OomKilled) return restartBackoff(priorLosses);
  return 0;
}
