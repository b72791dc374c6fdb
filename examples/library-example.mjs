// schedlab as a library, from plain JavaScript (Node 20, ESM) or a notebook: the package's typed
// entry point (package.json `exports`, types in dist/api/index.d.ts).
//
//   npm run build && node examples/library-example.mjs results/library-example
//
// Replays the synthetic workload under best-fit into a results folder (the same files as
// `schedlab replay --out`), compares two policies on it, and runs a small sweep with 95 % intervals.
import { replay, compare, sweep, readResultsFolder } from 'schedlab';
import { join } from 'node:path';

const out = process.argv[2] ?? 'results/library-example';
const size = { nodes: 20, tasks: 2000, hours: 4, seed: 7 };

// One replay, written as a results folder (run.json, CSV + Parquet tables, schema.json, charts, report).
const run = await replay({ ...size, policy: 'best-fit', out: join(out, 'replay'), force: true });
console.log(`replay ${run.summary.policy}: mean busy nodes ${run.summary.nodes.meanBusy}, busy cost per year $${run.summary.cost.busyPerYear}`);

// The folder reads back into typed columns (what the charts are drawn from).
const loaded = readResultsFolder(join(out, 'replay'));
console.log(`results folder: ${loaded.tasks.length} tasks, seed ${loaded.record.seed}`);

// Same workload and seed under two policies, in worker threads; the first is the baseline.
const cmp = await compare({ ...size, policies: ['first-fit', 'best-fit'] });
for (const s of cmp.summaries) console.log(`compare ${s.policy}: mean busy nodes ${s.nodes.meanBusy}`);

// A small sweep: 2 policies × 3 seeds, the mean and its 95 % t interval per policy.
const sw = await sweep(
  { name: 'example', policies: ['first-fit', 'best-fit'], seeds: [1, 2, 3], overcommit: ['none'], nodes: 10, tasks: 500, hours: 2 },
  { out: join(out, 'sweep'), report: false },
);
for (const g of sw.groups.filter((g) => g.metric === 'busy_nodes_mean')) {
  console.log(`sweep ${g.policy}: busy nodes ${g.mean} [${g.ci95Low}, ${g.ci95High}] over ${g.n} seeds`);
}
