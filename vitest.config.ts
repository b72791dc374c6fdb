import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The test files that take minutes (measured in CI), longest first. A clean clone has no timing
 * cache, so vitest would order files by size and start these small ones last, leaving one worker
 * idle while the other finishes them; started first, both workers end together.
 */
const LONGEST_FIRST = [
  'score-cache-google-kube-default',
  'cli.test',
  'score-cache-google-best-fit',
  'cli-fuzz',
  'determinism',
  'score-cache-replay',
  'google-2011-replay',
  'sweep-distributed',
  'architectures-cli',
  'dynamics-report-cli',
  'sweep-k8s',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((n) => f.moduleId.endsWith(`/test/${n}${n.endsWith('.test') ? '' : '.test'}.ts`));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    return sorted.map((f, i) => ({ f, i, r: rank(f) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.f);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'threads',
    // Vitest's default is one worker fewer than the cores: one on the 2-core CI machine. Many test
    // files spend their time in a child process (the CLI), so two files at once keep both cores busy.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
  },
});
