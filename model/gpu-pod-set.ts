/**
 * The pods of the GPU-sharing experiment (FGD, Weng et al. ATC'23), as columns. A pod asks for
 * either a share of ONE device (0 < milli < 1000), or k whole devices (milli = 1000, k ≥ 1), or no
 * GPU; plus CPU and memory. `spec` indexes `specs` (allowed GPU models), -1 = any.
 */
export interface GpuPodSet {
  count: number;
  cpu: Float64Array;
  memory: Float64Array;
  /** Milli-GPU per device: 1..999 for a shared device, 1000 for whole devices, 0 for CPU-only. */
  gpuMilli: Int32Array;
  /** Devices: 1 for a shared device, k for k whole devices, 0 for CPU-only. */
  gpuCount: Int32Array;
  spec: Int32Array;
  specs: string[][];
}

/** Total milli-GPU of pod i. */
export function podGpuMilli(pods: GpuPodSet, i: number): number {
  return pods.gpuMilli[i] * pods.gpuCount[i];
}
