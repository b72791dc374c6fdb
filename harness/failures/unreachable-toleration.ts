import type { Toleration } from '../../model/placement-constraints.js';
import type { Workload } from '../../model/workload.js';
import { toleratesTaint } from '../../model/toleration-matching.js';

/** The NoExecute taint the node lifecycle controller puts on a node whose kubelet stopped reporting (Ready=Unknown). */
export const UNREACHABLE_TAINT = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' } as const;

/**
 * How long a pod stays bound to an unreachable node once the NoExecute taint is on, µs
 * (Infinity = forever, 0 = evicted at once):
 *
 * 1. DefaultTolerationSeconds admission (plugin/pkg/admission/defaulttolerationseconds): a pod
 *    with no toleration whose key is `node.kubernetes.io/unreachable` or empty and whose effect is
 *    NoExecute or empty gets `unreachable:NoExecute` for `--default-unreachable-toleration-seconds`
 *    (300 s), appended after its own.
 * 2. The taint eviction controller (pkg/controller/tainteviction, processPodOnNode): the first of
 *    the pod's tolerations that tolerates the taint (v1helper.GetMatchingTolerations); none → evicted
 *    at once; its tolerationSeconds (getMinTolerationTime): absent → forever, ≤ 0 → at once.
 *
 * Only the controller's own taint counts (other NoExecute taints a node may carry are not
 * modeled). DaemonSet pods tolerate it without a limit (workloads/kubernetes/daemonsets.ts), so
 * they are never evicted. Cached per job (replicas share one pod template).
 */
export function unreachableToleration(tolerations: readonly Toleration[] | undefined, defaultSeconds: number): number {
  const own = tolerations ?? [];
  const defaulted = own.some((t) => (t.key === undefined || t.key === '' || t.key === UNREACHABLE_TAINT.key) && (t.effect === undefined || t.effect === 'NoExecute'));
  if (!defaulted) return defaultSeconds * 1e6;
  for (const t of own) {
    if (!toleratesTaint(t, UNREACHABLE_TAINT)) continue;
    if (t.tolerationSeconds === undefined) return Infinity;
    return t.tolerationSeconds <= 0 ? 0 : t.tolerationSeconds * 1e6;
  }
  return 0;
}

/** The toleration per job of a workload, computed once per job. */
export class TolerationByJob {
  private cache: Float64Array = new Float64Array(0);

  constructor(
    private readonly workload: Workload,
    private readonly defaultSeconds: number,
  ) {}

  /** µs a pod of `job` tolerates the unreachable taint. */
  of(job: number): number {
    if (job >= this.cache.length) {
      const c = new Float64Array(Math.max(job + 1, this.cache.length * 2, 16)).fill(NaN);
      c.set(this.cache);
      this.cache = c;
    }
    let v = this.cache[job];
    if (v !== v) {
      v = unreachableToleration(this.workload.jobConstraints?.[job]?.tolerations, this.defaultSeconds);
      this.cache[job] = v;
    }
    return v;
  }
}
