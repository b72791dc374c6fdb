/** Why a dynamics event happened (events.csv `cause`). */
export const enum DynamicsCause {
  /** Kubelet eviction under memory pressure (a hard or soft memory.available threshold). */
  EvictionMemoryPressure = 0,
  /** Kubelet eviction under disk pressure (nodefs.available). */
  EvictionDiskPressure = 1,
  /** Container usage above its memory limit: OOM kill, restart with back-off. */
  OomLimit = 2,
  /** Node out of memory: the kernel OOM killer, by OOM score. */
  OomNode = 3,
  /** A throttling interval: CPU demand above the limit (quota) or the node's share. */
  Throttling = 4,
  /** Node condition MemoryPressure turned on / off. */
  PressureOn = 5,
  PressureOff = 6,
  /** Later issues: preemption, machine failure. */
  Preemption = 7,
  Failure = 8,
}

export const DYNAMICS_CAUSE_NAMES = [
  'eviction-memory-pressure',
  'eviction-disk-pressure',
  'oom-limit',
  'oom-node',
  'throttling',
  'pressure-on',
  'pressure-off',
  'preemption',
  'failure',
] as const;
