/**
 * The requests kube-scheduler assumes, for scoring only, for a pod that states none:
 * DefaultMilliCPURequest (100 millicores) and DefaultMemoryRequest (200 MiB), from
 * pkg/scheduler/util/pod_resources.go (schedutil.GetNonzeroRequests). Used by LeastAllocated and
 * the node's non-zero requested sums (non-zero-requested.ts).
 */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;
