/** A node of the GPU-sharing experiment (FGD, Weng et al. ATC'23): CPU, memory, G whole GPU devices of one model. */
export interface GpuNodeSpec {
  id: string;
  /** Milli-cores. */
  cpu: number;
  /** Any unit, the same as the pods' memory (openb: MiB). */
  memory: number;
  /** Number of GPU devices. */
  gpus: number;
  /** GPU model ('' when the node has no GPU). */
  model: string;
}
