/**
 * Borg's priority bands, as the Google traces number them (../shared/docs/models.md § Borg,
 * ../shared/docs/trace-formats.md). Larger priority = more important. Production work is admitted
 * by its limits; the rest by its reservation.
 * - 2011 trace (priorities 0–11): 0–1 free, 2–8 the middle (batch and best effort), 9–11 production
 *   (priority 11 is the monitoring tier in Borg's own numbering; the 2011 trace does not name it, so
 *   it stays production there).
 * - 2019 trace: free ≤ 99, best-effort batch 110–115, mid 116–119, production 120–359,
 *   monitoring ≥ 360 (values 100–109 are unused; read as free).
 * - Kubernetes has no bands; PriorityClass values are read as stated in bandOf (an assumption,
 *   reported with the run).
 */

/** Lowest priority of the 2011 production band (9–11). */
export const PRODUCTION_PRIORITY = 9;

export const enum PriorityBand {
  Free = 0,
  BestEffortBatch = 1,
  Mid = 2,
  Production = 3,
  Monitoring = 4,
}

export const BAND_NAMES = ['free', 'best-effort-batch', 'mid', 'production', 'monitoring'] as const;
export type BandName = (typeof BAND_NAMES)[number];

/** Which numbering a workload's priorities follow (Workload.priorityScale). */
export type PriorityScale = 'google-2011' | 'google-2019' | 'kubernetes';

/** The band of a priority under a numbering. */
export function bandOf(priority: number, scale: PriorityScale): PriorityBand {
  if (scale === 'google-2011') {
    if (priority <= 1) return PriorityBand.Free;
    if (priority >= PRODUCTION_PRIORITY) return PriorityBand.Production;
    return PriorityBand.Mid;
  }
  if (scale === 'google-2019') {
    if (priority <= 109) return PriorityBand.Free;
    if (priority <= 115) return PriorityBand.BestEffortBatch;
    if (priority <= 119) return PriorityBand.Mid;
    if (priority <= 359) return PriorityBand.Production;
    return PriorityBand.Monitoring;
  }
  // Kubernetes: system-cluster-critical / system-node-critical (2e9 and above) are the monitoring
  // tier; a negative value is free; 0 (no PriorityClass) and other values are mid, positive values
  // at or above 1e9 production (the range Kubernetes reserves below the system classes).
  if (priority >= 2_000_000_000) return PriorityBand.Monitoring;
  if (priority >= 1_000_000_000) return PriorityBand.Production;
  if (priority < 0) return PriorityBand.Free;
  return PriorityBand.Mid;
}

/** Production and monitoring: admitted by limit, never killed for a lower band (Borg). */
export function isProductionBand(band: PriorityBand): boolean {
  return band >= PriorityBand.Production;
}
