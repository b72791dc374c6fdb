import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactSecret, urlSecrets } from '../harness/sweep/distributed/redact-secret.js';
import { parseQueueUrl } from '../harness/sweep/distributed/queue-url.js';
import { cellJobData, checkCellJob } from '../harness/sweep/distributed/cell-job.js';
import { validateSweepConfig } from '../harness/sweep/sweep-config.js';
import { sweepCells } from '../harness/sweep/sweep-grid.js';
import { UsageError } from '../model/errors.js';

describe('queue URL password redaction (the one helper)', () => {
  it('hides the password of every URL in a text, keeps the user, host, port and the rest', () => {
    expect(redactSecret('connect to redis://:hunter22@10.0.0.5:6379/2 now')).toBe('connect to redis://:***@10.0.0.5:6379/2 now');
    expect(redactSecret('rediss://alice:s3cr3t@cache.example:6380')).toBe('rediss://alice:***@cache.example:6380');
    // An '@' typed unescaped in the password is still hidden whole.
    expect(redactSecret("--queue 'redis://:p@ss@host:1'")).toBe("--queue 'redis://:***@host:1'");
    // A mistyped scheme carries a password as well.
    expect(redactSecret('http://:pw123456@x')).toBe('http://:***@x');
    // Nothing to hide: no password, or the usage hint's placeholder.
    for (const t of ['redis://host:6379', 'redis://user@host', 'expected redis://[:PASSWORD@]HOST[:PORT][/DB]', 'a user@example.com address']) expect(redactSecret(t)).toBe(t);
    // The literal password (as written and decoded) wherever else it appears; short ones are left (they would blank words).
    expect(urlSecrets('redis://:p%40ss%21word@h:1')).toEqual(['p%40ss%21word', 'p@ss!word']);
    expect(redactSecret('AUTH p@ss!word failed', urlSecrets('redis://:p%40ss%21word@h:1'))).toBe('AUTH *** failed');
    expect(redactSecret('a bc d', ['bc'])).toBe('a bc d');
    expect(urlSecrets('redis://h:1')).toEqual([]);
  });

  it('parses redis:// and rediss:// into connection options; shows only the redacted form; bad URLs are one line naming --queue', () => {
    const t = parseQueueUrl('redis://:hunter22@10.0.0.5:6390/3');
    expect(t.connection).toEqual({ host: '10.0.0.5', port: 6390, db: 3, password: 'hunter22' });
    expect(t.shown).toBe('redis://:***@10.0.0.5:6390/3');
    expect(t.redact('x hunter22 y')).toBe('x *** y');
    const tls = parseQueueUrl('rediss://worker:p%2Fw@cache.example');
    expect(tls.connection).toEqual({ host: 'cache.example', port: 6379, db: 0, username: 'worker', password: 'p/w', tls: {} });
    expect(tls.shown).toBe('rediss://worker:***@cache.example');
    expect(parseQueueUrl('redis://[::1]:7000').connection).toMatchObject({ host: '::1', port: 7000 });
    const bad: Array<[string, RegExp]> = [
      ['http://:hunter22@h:1', /^--queue: unsupported scheme 'http', got 'http:\/\/:\*\*\*@h:1'/],
      ['redis://:hunter22@h:1/zero', /^--queue: the path is the database number, a whole number, got 'redis:\/\/:\*\*\*@h:1\/zero'/],
      ['redis://h:1?queue=x', /^--queue: no query string or fragment is taken/],
      ['not a url', /^--queue: not a URL, got 'not a url' \(expected redis:\/\/\[:PASSWORD@\]HOST\[:PORT\]\[\/DB\] or rediss:\/\/… for TLS\)$/],
    ];
    for (const [url, message] of bad) {
      let err: unknown;
      try {
        parseQueueUrl(url);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message.includes('hunter22')).toBe(false);
    }
  });
});

describe('a cell job is data; the worker checks it before running it', () => {
  it('refuses another version, an altered spec, a module file whose content differs or is not listed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-cell-job-'));
    const policy = join(dir, 'mine.ts');
    writeFileSync(policy, "export default { name: 'mine', description: '', create: () => ({ name: 'mine', select: () => -1 }) };\n");
    const c = await validateSweepConfig({ policies: [policy], tasks: 10, nodes: 2 });
    const [cell] = sweepCells(c);
    const job = JSON.parse(JSON.stringify(cellJobData(cell, '1.2.3', 'cell x')));
    expect(job.files).toEqual([{ role: 'policy file', path: policy, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(checkCellJob(job, '1.2.3').spec).toEqual(JSON.parse(JSON.stringify(cell.spec)));
    const refused = (data: unknown, version = '1.2.3') => {
      try {
        checkCellJob(data, version);
      } catch (e) {
        expect((e as Error).name).toBe('CellRefused');
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(refused(job, '1.2.4')).toBe("made by schedlab 1.2.3, this worker runs schedlab 1.2.4: run one schedlab version on the sweep's machine and every worker");
    expect(refused({ ...job, spec: { ...job.spec, seed: 99 } })).toMatch(/^the cell's key is not the hash of its spec/);
    expect(refused({ ...job, files: [] })).toMatch(/^policy file .*mine\.ts: no content hash in the job; refused$/);
    expect(refused({ hello: 1 })).toMatch(/^not a schedlab cell of schema schedlab-cell-job\/1/);
    writeFileSync(policy, '// changed\n', { flag: 'a' });
    expect(refused(job)).toMatch(/^policy file .*mine\.ts: content differs from the sweep's \(SHA-256 [0-9a-f]{12}… here, [0-9a-f]{12}… expected\); refused/);
    expect(refused({ ...job, files: [{ ...job.files[0], path: join(dir, 'gone.ts') }], spec: job.spec })).toMatch(/gone\.ts: missing on this worker/);
  });
});
