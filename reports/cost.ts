/**
 * Cost maths (../shared/docs/models.md, "Cost"): cost = node-hours × hourly price; a year is
 * 8,760 hours; idle cost = cost × (1 - utilization). An m5.2xlarge at $0.384/h is
 * 0.384 × 8760 = $3,363.84 a year; 100 of them $336,384, of which $168,192 is idle at 50%.
 */
export const HOURS_PER_YEAR = 8760;

export function costPerYear(pricePerHour: number, nodes: number): number {
  return roundCents(pricePerHour * HOURS_PER_YEAR * nodes);
}

export function idleCost(cost: number, utilization: number): number {
  if (!(utilization >= 0 && utilization <= 1)) throw new RangeError(`utilization must be in [0, 1], got ${utilization}`);
  return roundCents(cost * (1 - utilization));
}

/** Cost of `nodeHours` observed over `windowHours`, scaled to a year. */
export function annualizedCost(pricePerHour: number, nodeHours: number, windowHours: number): number {
  if (!(windowHours > 0)) return 0;
  return roundCents((pricePerHour * nodeHours * HOURS_PER_YEAR) / windowHours);
}

/** Rounds to whole cents (what a bill shows), removing binary floating-point noise. */
export function roundCents(x: number): number {
  return Math.round(x * 100) / 100;
}

/** $336,384.00 */
export function formatDollars(x: number): string {
  const sign = x < 0 ? '-' : '';
  return `${sign}$${Math.abs(x).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** An hourly price as the catalog states it: $0.384 */
export function formatPrice(x: number): string {
  return `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;
}
