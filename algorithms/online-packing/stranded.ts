/**
 * Stranded resources, as Borg's scorer uses the term (Verma et al., "Large-scale cluster management
 * at Google with Borg", EuroSys'15, §3.2): capacity left free on a machine that cannot be used
 * because another resource on that machine is fully allocated. Borg does not publish its formula;
 * ours, on a node's normalized residual after placement r (normalized-residual.ts):
 *
 *   - a dimension h the node has (allocatable > 0) is *exhausted* when r_h < τ;
 *   - if at least one dimension is exhausted, every non-exhausted dimension's residual is stranded:
 *         stranded(r) = Σ_{h present, r_h ≥ τ} r_h
 *     otherwise stranded(r) = 0.
 *
 * τ stands for "too little to host a useful task": default 0.02 of allocatable, about the median
 * request of the synthetic Google-2011 workload (2.5 % CPU, 2.3 % memory of an m5.2xlarge), so an
 * exhausted dimension can take at most about one more typical task. Dimensions the node lacks
 * (allocatable 0, e.g. GPU on a CPU machine; residual written as 0) are neither exhausted nor
 * stranded.
 */
export const DEFAULT_EXHAUSTED_FRACTION = 0.02;

export function strandedFraction(
  residual: Float64Array,
  /** The cluster's allocatable array and the node's offset in it (node · dims). */
  allocatable: Float64Array,
  offset: number,
  tau = DEFAULT_EXHAUSTED_FRACTION,
): number {
  let exhausted = false;
  let room = 0;
  for (let d = 0; d < residual.length; d++) {
    if (!(allocatable[offset + d] > 0)) continue;
    if (residual[d] < tau) exhausted = true;
    else room += residual[d];
  }
  return exhausted ? room : 0;
}
