import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { schedlab, CLI, ROOT } from './helpers/cli.js';

describe('schedlab CLI end to end', () => {
  it('replays the embedded default workload and prints the summary with its seed', () => {
    const r = schedlab(['replay', '--tasks', '2000', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/policy kube-default, workload synthetic\(seed=1,nodes=100,tasks=2000,hours=24\), seed 1/);
    expect(r.stdout).toMatch(/tasks submitted\s+2,000/);
    expect(r.stdout).toMatch(/cpu requested \(mean\)\s+\d+\.\d%/);
    expect(r.stdout).toMatch(/cost per year\s+\$336,384\.00/);
    expect(r.stderr).toMatch(/^schedlab replay: seed 1, replayed in [\d.]+ s/m);
  });

  it('--json prints the same summary as JSON', () => {
    const r = schedlab(['replay', '--tasks', '2000', '--json', '--policy', 'best-fit', '--seed', '9']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.policy).toBe('best-fit');
    expect(s.seed).toBe(9);
    expect(s.tasks.submitted).toBe(2000);
    expect(s.tasks.scheduled + s.tasks.pendingAtEnd).toBe(2000);
    expect(s.utilization.requested.cpu.mean).toBeGreaterThan(0);
  });

  it('writes a results folder, byte-identical for the same seed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-'));
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    for (const out of [a, b]) expect(schedlab(['replay', '--tasks', '3000', '--nodes', '40', '--seed', '5', '--out', out, '--quiet']).code).toBe(0);
    for (const f of ['run.json', 'tasks.csv', 'timeseries.csv']) {
      expect(readFileSync(join(a, f), 'utf8')).toBe(readFileSync(join(b, f), 'utf8'));
    }
    const run = JSON.parse(readFileSync(join(a, 'run.json'), 'utf8'));
    expect(run.seed).toBe(5);
    expect(run.config.policy).toBe('kube-default');
    expect(run.schedlab).toMatch(/^\d+\.\d+\.\d+/);
    const tasks = readFileSync(join(a, 'tasks.csv'), 'utf8').trim().split('\n');
    expect(tasks[0]).toMatch(/^task_id,job,task_index,priority,qos,band,submit_s,start_s,end_s,node,status,attempts,request_cpu_millicores,request_memory_bytes,request_gpu_milli_gpu,limit_cpu_millicores,limit_memory_bytes,limit_gpu_milli_gpu,missing_request,(evictions,oom_kills,throttled_cpu_seconds,lost_work_seconds,peak_memory_bytes,)?pending_reason$/);
    expect(tasks.length).toBe(3001);
    const ts = readFileSync(join(a, 'timeseries.csv'), 'utf8').split('\n');
    expect(ts[0]).toBe('time_s,metric,resource,value');
    expect(ts.some((l) => l.startsWith('0,requested_fraction,cpu,'))).toBe(true);
    // A different seed gives a different run.
    const c = join(dir, 'c');
    expect(schedlab(['replay', '--tasks', '3000', '--nodes', '40', '--seed', '6', '--out', c, '--quiet']).code).toBe(0);
    expect(readFileSync(join(c, 'tasks.csv'), 'utf8')).not.toBe(readFileSync(join(a, 'tasks.csv'), 'utf8'));
  });

  it('compare prints one table with savings against the first policy', () => {
    const r = schedlab(['compare', '--policies', 'first-fit,best-fit,kube-default', '--tasks', '3000', '--nodes', '40']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/first-fit\s+best-fit\s+kube-default/);
    expect(r.stdout).toMatch(/savings\/yr vs first-fit\s+\$0\.00/);
  });

  it('compare in worker threads gives the same summaries as separate replays', () => {
    const args = ['--tasks', '3000', '--nodes', '40', '--seed', '3'];
    const c = JSON.parse(schedlab(['compare', '--policies', 'first-fit,kube-default', '--json', ...args]).stdout);
    for (const [i, p] of ['first-fit', 'kube-default'].entries()) {
      const r = JSON.parse(schedlab(['replay', '--policy', p, '--json', ...args]).stdout);
      expect(c.summaries[i]).toEqual(r);
    }
  });

  it.skipIf(!existsSync('/usr/bin/script'))('shows progress on a terminal, not when piped or --quiet', () => {
    // Long enough for the simulator to report progress; reservations only, so it stays quick.
    const run = (extra: string) => spawnSync('script', ['-qc', `${process.execPath} ${CLI} replay --nodes 1000 --tasks 200000 --hours 48 --no-dynamics --policy best-fit ${extra}`, '/dev/null'], { cwd: ROOT, encoding: 'utf8' }).stdout;
    expect(run('')).toMatch(/replay: \d+% simulated [\d.]+ h, [\d,]+ tasks submitted/);
    expect(run('--quiet')).not.toMatch(/% simulated/);
    // Piped (no terminal): no progress.
    expect(schedlab(['replay', '--nodes', '1000', '--tasks', '200000', '--hours', '48', '--no-dynamics', '--policy', 'best-fit']).stderr).not.toMatch(/% simulated/);
  });

  it('cost prints the documented figures', () => {
    expect(schedlab(['cost', '--instance', 'm5.2xlarge', '--nodes', '100', '--utilization', '0.5']).stdout).toMatch(
      /cost per year:\s+\$336,384\.00\nidle at 50\.0% utilization: \$168,192\.00 per year/,
    );
    expect(schedlab(['cost', '--nodes', '1']).stdout).toMatch(/\$3,363\.84/);
    expect(schedlab(['cost', '--nodes', '10']).stdout).toMatch(/\$33,638\.40/);
  });

  it('policies lists each built-in with one line', () => {
    const out = schedlab(['policies']).stdout;
    for (const p of ['first-fit', 'best-fit', 'worst-fit', 'random', 'kube-default', 'kube-framework', 'borg-hybrid', 'learned', 'gpu-fgd']) {
      expect(out).toMatch(new RegExp(`^  ${p}\\s+\\S`, 'm'));
    }
    expect(out).toMatch(/Offline packers[^\n]*\n  one dimension: +FF, NF, BF, WF, FFD, BFD, WFD/);
    expect(out).toMatch(/^  fgd +\S/m);
    expect(out).toMatch(/Queue orders \(--queue\): priority, fifo, sjf, drf/);
  });

  it('train mounts placement and predictor; without one it exits 2 saying which', () => {
    const none = schedlab(['train']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give what to train: placement or predictor/);
    for (const [what, option] of [['placement', '--episodes'], ['predictor', '--horizon']]) {
      const help = schedlab(['train', what, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(option);
    }
    expect(schedlab(['train', 'nope', '--out', 'x']).code).toBe(2);
  });

  it('loads a TypeScript policy file from examples/', () => {
    const r = schedlab(['replay', '--policy', './examples/my-policy.ts', '--tasks', '1000', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).policy).toBe('most-free-cpu');
  });

  it.each([
    [['replay', '--policy', 'nope'], /--policy: unknown policy 'nope'; valid choices: first-fit, best-fit/],
    [['replay', '--instance', 'm9.huge'], /--instance: unknown instance type 'm9.huge'; valid choices:/],
    [['replay', '--nodes', '-3'], /--nodes: expected a positive whole number up to 1,000,000, got '-3'/],
    [['replay', '--tasks', 'many'], /--tasks: expected a positive whole number up to 100,000,000, got 'many'/],
    [['replay', '--policy', './missing-policy.ts'], /--policy: policy file .\/missing-policy.ts does not exist/],
    [['replay', '--policy', './test/fixtures/policies/no-export.ts'], /does not export a policy/],
    [['cost', '--utilization', '2'], /--utilization: expected a fraction between 0 and 1/],
    [['replay', '--queue', 'lifo'], /^schedlab: --queue: expected one of priority, fifo, sjf, drf, got 'lifo' \(see schedlab replay --help\)$/m],
    [['replay', '--bogus', '1'], /^schedlab: --bogus: unknown option \(see schedlab replay --help\)$/m],
    [['pack'], /^schedlab: pack: give one or more instance <files\.\.> /],
    [['pack', './test/fixtures/bin-packing/ok-crlf.txt', '--time-limit', 'soon'], /^schedlab: --time-limit: expected a positive number, got 'soon'$/m],
    [['pack', './test/fixtures/bin-packing/ok-crlf.txt', '--seed', '-2'], /^schedlab: --seed: expected a whole number from 0 to 4294967295, got '-2'$/m],
    [['pack', './test/fixtures/bin-packing/ok-crlf.txt', '-a', 'FF', '-a', 'BF'], /^schedlab: --algorithms: given more than once \('FF', 'BF'\); give it once$/m],
    [['replay', '--tasks', '100', '--out', 'a', '--out', 'b'], /^schedlab: --out: given more than once \('a', 'b'\)/],
    [['replay', '--tasks', '100', '--json=maybe'], /^schedlab: --json: a flag takes no value \(or true \/ false\), got 'maybe'$/m],
    [['replay', '--tasks', '100', '--format', 'swf'], /^schedlab: --format: applies to a trace \(--workload PATH\); 'synthetic' is generated/],
    [['replay', '--tasks', '100', '--format', 'csv'], /^schedlab: --format: expected one of google-2011, google-2019, .*, got 'csv'/],
    [['replay', '--tasks', '100', '--hours', '1e9'], /^schedlab: --hours: expected hours from 1 second \(0\.000278\) up to 876,000 \(100 years\), got '1e9'$/m],
    [['replay', '--tasks', '100', '--hours', '1e-12'], /^schedlab: --hours: expected hours from 1 second/],
    [['replay', '--tasks', '99999999999999999999'], /^schedlab: --tasks: expected a positive whole number up to 100,000,000, got '99999999999999999999'$/m],
    [['cost', '--utilization', ''], /^schedlab: --utilization: expected a fraction between 0 and 1, got ''$/m],
    [['replay', '--workload', ''], /^schedlab: --workload: expected a path, got ''$/m],
    [['trace', 'inspect', ''], /^schedlab: trace inspect <path>: expected a path, got ''$/m],
    [['cost', '--catalog', '/dev/null'], /^schedlab: --catalog: expected a file, got '\/dev\/null' \(not a regular file\)$/m],
    [['experiment', 'fgd', '--seeds', '1e20'], /^schedlab: --seeds: expected a positive whole number up to 10,000, got '1e20'$/m],
    [['experiment', 'nope'], /^schedlab: experiment: <name>: expected one of fgd, overcommit, compaction, architectures, got 'nope'/],
    [['replay', '--tasks', '100', '--sample-seconds', '0.000001'], /^schedlab: --sample-seconds: 0\.000001 s over the 24 h window is 86,400,000,000 samples; at most 1,000,000/],
    [['replay', '--tasks', '100', '--catalog', './nope.json'], /^schedlab: --catalog: no such file '.\/nope\.json'$/m],
    [['experiment', 'fgd', '--pods', './nope.csv'], /^schedlab: --pods: no such file '.\/nope\.csv'$/m],
    [['experiment', 'fgd', '--pods', './test/fixtures/alibaba-openb/openb_pod_list_tiny.csv', '--nodes', './test/fixtures/alibaba-openb/openb_node_list_all_node.csv', '--policies', 'fgd,nope'], /^schedlab: --policies: unknown GPU policy 'nope'; choose from: /],
    [['trace', 'inspect'], /^schedlab: trace inspect: give the <path> of a trace to inspect/],
    [['pack', './test/fixtures/bin-packing/vbp-negative.vbp', '--algorithms', 'FFD'], /vbp-negative\.vbp line 5 \(item type 2 of 2, size 2\): expected a non-negative integer/],
    [['pack', './test/fixtures/bin-packing/missing.txt'], /bin-packing\/missing\.txt: cannot read the instance file: no such file/],
    [['pack', './test/fixtures/bin-packing'], /fixtures\/bin-packing: is a folder; expected an instance file/],
    [['pack', './test/fixtures/bin-packing/ok-crlf.txt', '--algorithms', 'NOPE'], /--algorithms: unknown offline algorithm 'NOPE': no such family/],
    [['pack', './test/fixtures/bin-packing/ok-crlf.txt', '--algorithms', 'FF-Dyn'], /dynamic weights \('-Dyn'\) apply to the decreasing families FFD, BFD and WFD/],
    [['compare', '--workload', './test/fixtures/swf/bad.swf', '--policies', 'first-fit,best-fit'], /bad\.swf line 3: expected 18 fields/],
    [['compare', '--policies', 'first-fit,nope', '--tasks', '100'], /^schedlab: --policies: unknown policy 'nope'; valid choices: first-fit/],
    [['compare', '--policies', 'first-fit,./missing-policy.ts', '--tasks', '100'], /^schedlab: --policies: policy file .\/missing-policy.ts does not exist/],
    [['replay', '--workload', './test/fixtures/google-2011/bad/not-a-trace.csv'], /not-a-trace\.csv: not a recognized trace format/],
    [['replay', '--workload', './test/fixtures/google-2011/bad'], /is a single google-2011 table; reading a workload needs the trace folder/],
    [['replay', '--workload', './test/fixtures/native/handmade-v1.schedlab.arrow'], /^schedlab: native\/handmade-v1\.schedlab\.arrow \(machine m1, capacity cpu\): expected a non-negative number, got "NaN"$/m],
  ])('bad input %j: exit 2 and one clear line, no stack trace', (args, message) => {
    const r = schedlab(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.trimEnd().split('\n'), 'stderr is one line').toHaveLength(1);
  });

  const OPENB = join(ROOT, '..', 'shared', 'data', 'alibaba-openb-2023');
  it.skipIf(!existsSync(join(OPENB, 'openb_pod_list_default.csv')))('Ctrl-C during experiment fgd stops it between runs: no report, no results folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-int-fgd-'));
    const out = join(dir, 'fgd');
    const child = spawn(process.execPath, [CLI, 'experiment', 'fgd', '--seeds', '10', '--policies', 'fgd', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, SCHEDLAB_PROGRESS: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise<number | null>((r) => child.on('close', r));
    // The first run's progress line: nine more runs follow, each synchronous.
    while (!/^fgd seed 42: /m.test(stderr) && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    expect(stderr).toMatch(/interrupted: no results were written/);
    expect(stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an interrupted run leaves no results folder behind (Ctrl-C or SIGTERM at start, while simulating, while writing)', async () => {
    // Each phase is recognized by a signal from the run itself, never by a fixed delay: the
    // `schedlab: started` line and progress lines (SCHEDLAB_PROGRESS=1), or the hidden partial
    // folder once it holds run.json (the first file written).
    const cases = [
      ['starting', 'SIGINT', 130],
      ['simulating', 'SIGINT', 130],
      ['simulating', 'SIGTERM', 143],
      ['writing', 'SIGINT', 130],
    ] as const;
    for (const [when, signal, code] of cases) {
      const dir = mkdtempSync(join(tmpdir(), 'schedlab-int-'));
      const out = join(dir, 'res');
      const child = spawn(process.execPath, [CLI, 'replay', '--nodes', '1000', '--tasks', '300000', '--out', out], {
        cwd: ROOT,
        env: { ...process.env, SCHEDLAB_PROGRESS: '1' },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const closed = new Promise<number | null>((r) => child.on('close', r));
      const ready =
        when === 'starting'
          ? () => /^schedlab: started$/m.test(stderr)
          : when === 'simulating'
            ? () => /% simulated/.test(stderr)
            : () => readdirSync(dir).some((f) => f.includes('.partial-') && existsSync(join(dir, f, 'run.json')));
      const deadline = Date.now() + 90_000;
      while (!ready() && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(ready(), `${when}: the run never got there (stderr: ${stderr})`).toBe(true);
      child.kill(signal);
      expect(await closed, `${signal} while ${when}`).toBe(code);
      expect(stderr).toMatch(/interrupted: no results were written/);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    }
  });
});
