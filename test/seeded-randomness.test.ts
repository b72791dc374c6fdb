import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(fileURLToPath(new URL('.', import.meta.url)), '..');
const FOLDERS = ['model', 'algorithms', 'workloads', 'harness', 'reports', 'cli', 'bench', 'examples', 'test'];
// Built from parts so this file does not match itself.
const CALL = new RegExp(['Math', '\\.random', '\\s*\\('].join(''));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

// Determinism (README; the project's rules): every run is reproducible from its seed, so code and
// tests draw from the seeded Rng (model/rng.ts), never from the unseeded global generator — an
// unseeded test that fails once cannot be rerun on the same input.
describe('seeded randomness only', () => {
  it('no source or test file calls the unseeded global generator', () => {
    const offenders: string[] = [];
    for (const folder of FOLDERS) {
      for (const file of tsFiles(path.join(ROOT, folder))) {
        readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
          if (CALL.test(line)) offenders.push(`${path.relative(ROOT, file)}:${i + 1}`);
        });
      }
    }
    expect(offenders).toEqual([]);
  });
});
