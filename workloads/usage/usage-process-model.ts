import type { QuantileTable } from '../synthetic/quantile-table.js';
import type { SeriesComponents } from './series-decomposition.js';

/**
 * The fitted form of the synthetic usage process for one profile: per resource, the ten
 * per-series components of series-decomposition.ts, each with its marginal distribution as a
 * quantile table, tied together by a Gaussian copula (a correlation matrix of normal scores over
 * all components of all resources, e.g. CPU and memory means of one job move together).
 */
export interface UsageProcessFit {
  /** 'gcd' (Google 2011 jobs: CPU and memory) or 'planetlab' (VM CPU). */
  readonly profile: string;
  /** Series the fit was made on. */
  readonly seriesCount: number;
  /** Points per series (288 = one day of 5-minute points). */
  readonly points: number;
  /** Resource names, in the order of `parameters` (COMPONENTS.length per resource). */
  readonly resources: readonly string[];
  /**
   * Quantile tables, one per (resource, component): index r * COMPONENTS.length + c; those of
   * BURST_SHAPE_COMPONENTS over the resource's series with bursts.
   */
  readonly marginals: readonly QuantileTable[];
  /**
   * Upper bound of the measured values, if the measurement has one (PlanetLab: a VM's CPU
   * utilization cannot pass 100 % of the VM), else undefined (the GCD sums pass 1).
   */
  readonly ceiling?: number;
  /**
   * Normal-score correlation between the parameters (symmetric, unit diagonal); a pair with a
   * burst-shape component is measured over the series that have the bursts it needs.
   */
  readonly correlation: readonly (readonly number[])[];
}

/** The components, in the order of a fit's parameters. */
export const COMPONENTS: readonly (keyof SeriesComponents)[] = ['mean', 'amplitude', 'phase', 'noiseSd', 'noiseLag1', 'noiseSkew', 'burstRate', 'burstLength', 'burstHeight', 'burstHeightCv'];

/** Components interpolated on a log scale between positive knots (positive, right-skewed). */
export const LOG_SCALE_COMPONENTS: ReadonlySet<keyof SeriesComponents> = new Set(['mean', 'amplitude', 'noiseSd', 'burstRate', 'burstLength', 'burstHeight', 'burstHeightCv']);

/**
 * Components that describe the bursts of a series that has some: fitted over the series with
 * bursts only (burstRate > 0), drawn only for a series whose drawn burstRate is above 0. A
 * zero-burst series has them all 0 at once, a point mass a Gaussian copula cannot hold (it would
 * pair a burst rate with a zero height and lose the bursts).
 */
export const BURST_SHAPE_COMPONENTS: ReadonlySet<keyof SeriesComponents> = new Set(['burstLength', 'burstHeight', 'burstHeightCv']);

/**
 * The quantile knots of the fitted tables (29): dense in the tails, where the peaks and the
 * largest means come from, 0.05 apart in the body.
 */
export const FIT_GRID: readonly number[] = [
  0, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9,
  0.925, 0.95, 0.975, 0.99, 0.995, 1,
];
