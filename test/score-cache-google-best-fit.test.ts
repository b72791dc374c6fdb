import { describe, it } from 'vitest';
import { DATA, expectGoogleExact, present } from './helpers/score-cache-runs.js';

if (!present) console.warn(`score-cache Google 2011 exactness test skipped: ${DATA} is absent (see ../shared/data/README.md)`);

describe('score cache exactness on the Google 2011 window (12.5k machines, 936k tasks)', () => {
  it.skipIf(!present)('best-fit: the score cache places every task as scoring afresh does', async () => {
    await expectGoogleExact('best-fit', 'no-cache');
  }, 600_000);
});
