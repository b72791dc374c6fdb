/** `--standing` and `--diurnal` on the command line (the compiled CLI in dist/: npm test builds it). */
import { describe, it, expect } from 'vitest';
import { schedlab } from './helpers/cli.js';
import { GOOGLE_2011_MONTH_FIT } from '../workloads/synthetic/google-2011-month-fit.js';

describe('replay --standing / --diurnal', () => {
  it('adds the standing population and the daily cycle to the synthetic workload', () => {
    const r = schedlab(['replay', '--nodes', '30', '--tasks', '1500', '--hours', '48', '--standing', 'auto', '--diurnal', 'on', '--no-dynamics', '--json', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const standing = Math.round(GOOGLE_2011_MONTH_FIT.standing.tasksPerMachine * 30);
    expect(s.workload).toBe(`synthetic(seed=1,nodes=30,tasks=1500,hours=48,standing=${standing},diurnal=on)`);
    expect(s.tasks.submitted).toBe(1500 + standing);
  });

  it('gives a task count, or none', () => {
    const r = schedlab(['replay', '--nodes', '10', '--tasks', '500', '--hours', '200', '--standing', '77', '--diurnal', 'off', '--no-dynamics', '--json', '--quiet']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.workload).toBe('synthetic(seed=1,nodes=10,tasks=500,hours=200,standing=77,diurnal=off)');
    expect(s.tasks.submitted).toBe(577);
    const none = JSON.parse(schedlab(['replay', '--nodes', '10', '--tasks', '500', '--hours', '200', '--standing', 'none', '--diurnal', 'off', '--no-dynamics', '--json', '--quiet']).stdout);
    expect(none.workload).toBe('synthetic(seed=1,nodes=10,tasks=500,hours=200)');
    expect(none.tasks.submitted).toBe(500);
  });

  it('refuses bad values and traces with one line, exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['--standing', 'lots'], /^schedlab: --standing: expected auto, none or a whole number of tasks from 0 to 100,000,000, got 'lots'$/],
      [['--standing', '-5'], /^schedlab: --standing: expected auto, none or a whole number of tasks/],
      [['--standing', '2.5'], /^schedlab: --standing: expected auto, none or a whole number of tasks/],
      [['--diurnal', 'yes'], /^schedlab: --diurnal: expected on or off, got 'yes'$/],
      [['--diurnal', 'on', '--diurnal', 'off'], /^schedlab: --diurnal: given more than once/],
      [['--workload', '../shared/data/google-2011', '--standing', 'auto'], /^schedlab: --standing: applies to the synthetic workload only/],
    ];
    for (const [args, message] of cases) {
      const r = schedlab(['replay', ...args, '--quiet']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
    }
  });
});
