import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readGoogle2019 } from '../workloads/google-2019/reader.js';

const CELL = path.join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'controllers-google-2019');

describe('Google 2019 reader: Borg jobs and resubmission gaps', () => {
  it('makes each collection a Borg job of its distinct instances and measures EVICT → next SUBMIT per instance', async () => {
    const w = await readGoogle2019(CELL);
    // Collection 7: instances 0, 1, 2 (instance 0 and 1 evicted and resubmitted, 2 evicted while pending, never resubmitted); collection 8: one.
    const byName = new Map(w.controllers!.map((c) => [c!.name, c!]));
    expect(byName.get('7')).toMatchObject({ kind: 'BorgJob', desired: 3 });
    expect(byName.get('8')).toMatchObject({ kind: 'BorgJob', desired: 1 });
    expect(w.controllers).toHaveLength(w.jobs.length);
    expect(Array.from(w.resubmitDelays!)).toEqual([40, 3_000_000]);
    expect(w.notes.find((n) => n.startsWith('resubmission after eviction'))).toContain('2 gaps (median 1.50002 s, p90 2.700004 s), 1 evicted instance not resubmitted');
  });
});
