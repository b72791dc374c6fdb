import { defineConfig } from 'vitest/config';

/**
 * The unit tests that exercise the mutated core modules (stryker.config.json), for `npm run mutate`.
 * CLI tests run the compiled dist/ and never see a mutant, and data-dependent tests skip in Stryker's
 * sandbox (../shared/data is not beside it), so both are left out to keep each mutant's run short.
 */
export default defineConfig({
  test: {
    include: [
      'test/node-index.test.ts',
      'test/pending-queue.test.ts',
      'test/queue-order.test.ts',
      'test/simulator.test.ts',
      'test/constrained-retry.test.ts',
      'test/cost.test.ts',
      'test/savings.test.ts',
      'test/summary.test.ts',
      'test/usage-model.test.ts',
      'test/hash.test.ts',
      'test/residual-trees.test.ts',
      'test/offline-heuristics.test.ts',
      'test/policies.test.ts',
      'test/kubernetes-framework-scores.test.ts',
      'test/conformance/fit.test.ts',
      'test/conformance/balanced-allocation.test.ts',
      'test/conformance/least-allocated.test.ts',
      'test/conformance/most-allocated.test.ts',
      'test/conformance/requested-to-capacity-ratio.test.ts',
      'test/conformance/normalize-score.test.ts',
      'test/kube-scorers.test.ts',
    ],
    testTimeout: 120_000,
    pool: 'threads',
  },
});
