import type { Rng } from '../../model/rng.js';
import { GiB, MiB } from '../../model/units.js';
import type { ExpanderName } from './autoscaler-options.js';

/** One way to scale up: add `nodes` nodes to node group `group`, which would take `pods` pods requesting `requested` in all. */
export interface ExpansionOption {
  group: number;
  nodes: number;
  pods: number;
  requested: Float64Array;
}

/** What the expanders know of a group's new node. */
export interface GroupFacts {
  /** The template node's capacity per dimension (upstream's waste and price use Node.Status.Capacity). */
  capacity: Float64Array;
  /** On-demand price of one node, per hour. */
  pricePerHour: number;
  hasGpu: boolean;
}

export interface ExpanderContext {
  facts: readonly GroupFacts[];
  cpu: number;
  memory: number;
  gpu: number;
  /** Nodes in the cluster now (the price expander's preferred node grows with it). */
  clusterNodes: number;
  /** Per-resource prices per hour (reports/pricing.ts, fitted to the catalog): a pod's price. */
  perVcpuHour: number;
  perGiBHour: number;
  rng: Rng;
}

/**
 * Picks the scale-up option, as the cluster autoscaler's `--expander` (kubernetes/autoscaler
 * cluster-autoscaler/expander/; FAQ.md "What are Expanders?"). Ties go to `random` (a seeded
 * choice), as upstream's expander chain ends in the random expander.
 *
 * - `random` (random/random.go): any option, uniformly.
 * - `most-pods` (mostpods/mostpods.go): the options that schedule the most pods.
 * - `least-waste` (waste/waste.go): least `wastedCPU + wastedMemory`, each `(capacity × nodes −
 *   Σ requests) / (capacity × nodes)` of the group's template node. (The FAQ words it "least idle
 *   CPU (if tied, unused memory)"; the code, followed here, adds the two fractions.)
 * - `price` (price/price.go, proposals/pricing.md): least `suppress(unfitness, nodes) × (nodes ×
 *   node price + X) / (Σ pod prices + X)`, where a pod's price is its CPU and memory priced per
 *   vCPU-hour and GiB-hour (upstream: GCE's per-resource list prices; schedlab: the rates fitted
 *   to the instance catalog, reports/pricing.ts), X the price of a 0.5-CPU, 500 MiB pod
 *   (priceStabilizationPod); unfitness = max(preferred cpu / node cpu, node cpu / preferred cpu)
 *   with the preferred node by cluster size (preferred.go: 1 core up to 2 nodes, 2 up to 6, 4 up
 *   to 20, 8 up to 60, 16 up to 200, else 32); suppress(u, n) = (u − 1)(1 − tanh((n − 1)/15)) + 1;
 *   a node with GPUs gets unfitness 1000 (gpuUnfitnessOverride). The first best option wins (upstream
 *   keeps the first of equal scores). GPU requests are not priced (the catalog has no GPU rate).
 */
export function chooseOption(expander: ExpanderName, options: readonly ExpansionOption[], ctx: ExpanderContext): ExpansionOption | undefined {
  if (options.length === 0) return undefined;
  switch (expander) {
    case 'random':
      return pickRandom(options, ctx.rng);
    case 'most-pods':
      return pickRandom(bestBy(options, (o) => -o.pods), ctx.rng);
    case 'least-waste':
      return pickRandom(bestBy(options, (o) => wasteScore(o, ctx)), ctx.rng);
    case 'price':
      return bestBy(options, (o) => priceScore(o, ctx))[0];
  }
}

/** waste.go: wastedCPU + wastedMemory of the option (a fraction of the new nodes' capacity each). */
export function wasteScore(o: ExpansionOption, ctx: ExpanderContext): number {
  const cap = ctx.facts[o.group].capacity;
  let score = 0;
  for (const d of [ctx.cpu, ctx.memory]) {
    if (d < 0) continue;
    const avail = cap[d] * o.nodes;
    if (avail > 0) score += (avail - o.requested[d]) / avail;
  }
  return score;
}

/** price.go BestOption's optionScore. */
export function priceScore(o: ExpansionOption, ctx: ExpanderContext): number {
  const f = ctx.facts[o.group];
  const podPrice = (cpuMillis: number, memBytes: number): number => (cpuMillis / 1000) * ctx.perVcpuHour + (memBytes / GiB) * ctx.perGiBHour;
  const stabilization = podPrice(500, 500 * MiB);
  const pods = podPrice(ctx.cpu >= 0 ? o.requested[ctx.cpu] : 0, ctx.memory >= 0 ? o.requested[ctx.memory] : 0);
  const priceSubScore = (f.pricePerHour * o.nodes + stabilization) / (pods + stabilization);
  const nodeCpu = ctx.cpu >= 0 ? f.capacity[ctx.cpu] : 0;
  const preferred = preferredNodeCpu(ctx.clusterNodes);
  const unfitness = nodeCpu > 0 ? Math.max(preferred / nodeCpu, nodeCpu / preferred) : Infinity;
  let suppressed = (unfitness - 1) * (1 - Math.tanh((o.nodes - 1) / 15)) + 1;
  if (f.hasGpu) suppressed = 1000;
  return suppressed * priceSubScore;
}

/** preferred.go SimplePreferredNodeProvider: the preferred node's CPU (millicores) doubles each time the cluster triples. */
export function preferredNodeCpu(clusterNodes: number): number {
  const cores = clusterNodes <= 2 ? 1 : clusterNodes <= 6 ? 2 : clusterNodes <= 20 ? 4 : clusterNodes <= 60 ? 8 : clusterNodes <= 200 ? 16 : 32;
  return cores * 1000;
}

/** The options with the lowest key, in their order. */
function bestBy(options: readonly ExpansionOption[], key: (o: ExpansionOption) => number): ExpansionOption[] {
  let best = Infinity;
  let out: ExpansionOption[] = [];
  for (const o of options) {
    const k = key(o);
    if (k < best) {
      best = k;
      out = [o];
    } else if (k === best) out.push(o);
  }
  return out.length > 0 ? out : [options[0]];
}

function pickRandom(options: readonly ExpansionOption[], rng: Rng): ExpansionOption {
  return options.length === 1 ? options[0] : options[rng.int(options.length)];
}
