/**
 * The published results of the FGD experiment, to set beside ours: Weng et al., "Beware of
 * Fragmentation: Scheduling GPU-Sharing Workloads with Fragmentation Gradient Descent", USENIX
 * ATC'23 (protocol: ../shared/docs/experiments.md).
 *
 * The paper shows these results as a plot (Fig. 9(a): unallocated GPU share against arrived
 * workload, openb default pod list, tuning ratio 1.3) and states in its text only the headline:
 * FGD reduces unallocated GPUs by up to 49 % against the packing-based schedulers, about 290 more
 * GPUs allocated. The numbers behind the figure are published in the authors' artifact,
 * github.com/hkust-adsl/kubernetes-scheduler-simulator (commit 1853fc0e),
 * `experiments/analysis/expected_results/analysis_allo_discrete.csv` ("the results of our
 * large-scale experiments", read by `experiments/plot/plot_paib_alloc.py`, which draws Fig. 9(a)).
 * Below: its rows with workload `openb_pod_list_default`, tune `1.3`, policies `01-Random` …
 * `06-FGD`, seeds 42–51, columns `100` and `130`: the allocated share of the cluster's 6,212 GPUs,
 * in percent, once 100 % and 130 % of the GPU capacity has arrived — the same quantities
 * `runFgdExperiment` measures. Values copied as published, per seed (the figure plots their median).
 */
export const FGD_PUBLISHED = {
  citation: 'Weng et al., USENIX ATC\'23, Fig. 9(a); values from the authors\' artifact (hkust-adsl/kubernetes-scheduler-simulator, expected_results/analysis_allo_discrete.csv)',
  workload: 'openb_pod_list_default',
  tuningRatio: 1.3,
  gpus: 6212,
  seeds: [42, 43, 44, 45, 46, 47, 48, 49, 50, 51],
  /** Allocated GPU share in percent at 100 % and 130 % arrived demand, one value per seed. */
  policies: {
    random: {
      at100: [86.17, 86.79, 86.68, 86.33, 86.33, 86.13, 86.73, 85.93, 86.07, 85.87],
      at130: [87.26, 88.03, 87.83, 87.36, 87.48, 87.41, 87.81, 87.07, 87.31, 87.14],
    },
    'dot-product': {
      at100: [90.34, 90.56, 90.83, 90.69, 90.55, 90.52, 91.0, 90.68, 90.53, 90.52],
      at130: [90.54, 90.84, 91.03, 90.89, 90.74, 90.75, 91.28, 90.93, 90.76, 90.73],
    },
    'gpu-clustering': {
      at100: [91.33, 91.69, 91.68, 92.75, 90.62, 91.2, 92.32, 92.09, 91.34, 91.48],
      at130: [91.53, 91.97, 91.88, 92.96, 90.81, 91.42, 92.6, 92.34, 91.56, 91.71],
    },
    'gpu-packing': {
      at100: [91.37, 91.78, 91.91, 92.58, 91.12, 91.07, 92.51, 91.83, 91.46, 92.16],
      at130: [91.57, 92.06, 92.1, 92.79, 91.3, 91.29, 92.78, 92.06, 91.69, 92.38],
    },
    'best-fit': {
      at100: [92.94, 92.97, 92.89, 92.93, 93.0, 92.84, 92.68, 93.04, 92.64, 92.69],
      at130: [93.13, 93.25, 93.09, 93.14, 93.19, 93.04, 92.95, 93.21, 92.87, 92.89],
    },
    fgd: {
      at100: [95.14, 95.06, 95.29, 95.38, 95.35, 95.14, 95.18, 95.3, 95.15, 95.28],
      at130: [95.29, 95.32, 95.44, 95.48, 95.49, 95.27, 95.37, 95.47, 95.35, 95.43],
    },
  } as Record<string, { at100: readonly number[]; at130: readonly number[] }>,
} as const;

/** Mean, min and max of a published column, as fractions (like allocationAt). */
export function publishedAllocation(policy: string, percent: 100 | 130): { mean: number; min: number; max: number } | null {
  const p = FGD_PUBLISHED.policies[policy];
  if (!p) return null;
  const v = (percent === 100 ? p.at100 : p.at130).map((x) => x / 100);
  return { mean: v.reduce((a, b) => a + b, 0) / v.length, min: Math.min(...v), max: Math.max(...v) };
}
