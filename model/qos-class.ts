/**
 * Kubernetes QoS classes of a task, as the kubelet derives them from requests and limits
 * (../shared/docs/models.md § Kubernetes QoS classes; upstream pkg/apis/core/helper/qos GetPodQOS),
 * over CPU and memory only, counting only positive quantities:
 * - Guaranteed: CPU and memory limits both set and each equal to its request (a limit alone
 *   implies an equal request);
 * - BestEffort: no CPU or memory request or limit at all;
 * - Burstable: everything else.
 * A task here is one container's worth of request/limit (the readers fold containers into the
 * pod's totals; workloads/kubernetes/qos.ts classes a pod from its containers and is the source
 * for manifests).
 */
export const enum QosClass {
  Guaranteed = 0,
  Burstable = 1,
  BestEffort = 2,
}

export const QOS_NAMES = ['Guaranteed', 'Burstable', 'BestEffort'] as const;
export type QosName = (typeof QOS_NAMES)[number];

/**
 * The class of a task from its request and limit vectors (`NaN` = not given) at `offset`,
 * reading dimensions `cpu` and `memory`. A limit without a request counts as an equal request,
 * as the API server defaults it.
 */
export function qosOfTask(request: ArrayLike<number>, limit: ArrayLike<number>, offset: number, cpu: number, memory: number): QosClass {
  let any = false;
  let guaranteed = true;
  for (const d of [cpu, memory]) {
    if (d < 0) {
      guaranteed = false;
      continue;
    }
    const lim = limit[offset + d];
    const req = lim > 0 && !(request[offset + d] > 0) ? lim : request[offset + d];
    if (req > 0 || lim > 0) any = true;
    if (!(lim > 0 && req === lim)) guaranteed = false;
  }
  if (!any) return QosClass.BestEffort;
  return guaranteed ? QosClass.Guaranteed : QosClass.Burstable;
}

/**
 * The kubelet's oom_score_adj per class (pkg/kubelet/qos/policy.go GetContainerOOMScoreAdjust;
 * ../shared/docs/models.md): Guaranteed -997, BestEffort 1000, Burstable
 * `min(max(2, 1000 - 1000 * memoryRequest / memoryCapacity), 999)` (integer division upstream).
 */
export function oomScoreAdj(qos: QosClass, memoryRequest: number, memoryCapacity: number): number {
  if (qos === QosClass.Guaranteed) return -997;
  if (qos === QosClass.BestEffort) return 1000;
  const adj = memoryCapacity > 0 ? 1000 - Math.floor((1000 * memoryRequest) / memoryCapacity) : 999;
  return Math.min(Math.max(2, adj), 999);
}
