import { describe, expect, it } from 'vitest';
import { defaultNormalize } from '../../algorithms/kubernetes/plugin.js';

/**
 * Conformance with upstream kube-scheduler: pkg/scheduler/framework/plugins/helper/normalize_score_test.go
 * (kubernetes/kubernetes @ 3ef6ef3c), TestDefaultNormalizeScore. Cases are named as upstream's
 * t.Run names (case_<i>); scores are normalized to 0–100 by the maximum, `reverse` flips them.
 */
describe('helper/normalize_score_test.go TestDefaultNormalizeScore', () => {
  const cases: Array<{ reverse?: boolean; scores: number[]; expected: number[] }> = [
    { scores: [1, 2, 3, 4], expected: [25, 50, 75, 100] },
    { reverse: true, scores: [1, 2, 3, 4], expected: [75, 50, 25, 0] },
    { scores: [1000, 10, 20, 30], expected: [100, 1, 2, 3] },
    { reverse: true, scores: [1000, 10, 20, 30], expected: [0, 99, 98, 97] },
    { scores: [1, 1, 1, 1], expected: [100, 100, 100, 100] },
    { scores: [1000, 1, 1, 1], expected: [100, 0, 0, 0] },
    { reverse: true, scores: [0, 1, 1, 1], expected: [100, 0, 0, 0] },
    { scores: [0, 0, 0, 0], expected: [0, 0, 0, 0] },
    { reverse: true, scores: [0, 0, 0, 0], expected: [100, 100, 100, 100] },
  ];
  cases.forEach((c, i) => {
    it(`case_${i}`, () => {
      const s = Float64Array.from(c.scores);
      defaultNormalize(s, s.length, c.reverse ?? false);
      expect(Array.from(s)).toEqual(c.expected);
    });
  });
});
