// Mutation testing of the core modules: `npm run mutate` (not in CI; ~25-35 min on 2 shared cores).
// Results and the surviving mutants: MUTATION.md. Reports go to mutation-report/ (gitignored).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // Only the unit tests of these modules (CLI tests run dist/, which never holds a mutant).
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // The machine is shared: one test runner at a time.
  concurrency: 1,
  mutate: [
    'harness/node-index.ts',
    'algorithms/offline/residual-trees.ts',
    'algorithms/offline/vector-bin-tree.ts',
    'harness/pending-queue.ts',
    'harness/queue-order.ts',
    'reports/summary.ts',
    'reports/cost.ts',
    'reports/savings.ts',
    'harness/usage-model.ts',
    'model/hash.ts',
    'algorithms/classic/kube-scoring.ts',
    'algorithms/kubernetes/resources.ts',
    'algorithms/kubernetes/node-resources-fit.ts',
    'algorithms/kubernetes/node-resources-balanced-allocation.ts',
    'algorithms/kubernetes/non-zero-requested.ts',
  ],
  // Mutants run in a copy of the repo under .stryker-tmp/, never in the working tree.
  ignorePatterns: ['/dist', '/tmp', '/results', '/mutation-report', '/.stryker-tmp'],
  tempDirName: '.stryker-tmp',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'mutation-report/index.html' },
  jsonReporter: { fileName: 'mutation-report/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
};
