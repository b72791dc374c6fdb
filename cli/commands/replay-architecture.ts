import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../model/errors.js';
import { abandonOutput, beginOutput, commitOutput } from '../../model/atomic-output.js';
import { specFromArgs, reactionsSpecFromArgs } from '../options.js';
import { architectureSpecFromArgs } from '../architecture-options.js';
import { runArchitectureSpec } from '../../harness/architectures/architecture-spec.js';
import { renderArchitectureSummary } from '../../reports/architecture-table.js';
import { checkOutputTarget } from '../../reports/output-target.js';
import { writeTimingFile } from '../../reports/timing-file.js';
import { progressReporter } from '../progress.js';
import { schedlabVersion } from '../version.js';
import type { ReplayArgs } from './replay-args.js';

/** Options that model what the architecture simulator does not (it models reservations only, as the Omega simulator). */
const NOT_MODELLED = ['overcommit', 'dynamics', 'usage', 'usageLibrary', 'usageSet', 'housekeepingSeconds', 'evictionHard', 'evictionSoft', 'evictionSoftGracePeriod', 'evictionMinimumReclaim', 'evictionPressureTransitionPeriod', 'kubeReserved', 'systemReserved'] as const;

/**
 * `replay --architecture A`: the workload under a scheduler architecture with decision time
 * modelled (harness/architectures/). Prints the schedulers' busyness and conflicts and the jobs'
 * waits; --json prints the results, --out writes run.json (and timing.json) to a folder.
 */
export async function replayArchitecture(a: ReplayArgs): Promise<void> {
  const arch = architectureSpecFromArgs(a, a.architecture!);
  const given = NOT_MODELLED.filter((k) => (a as unknown as Record<string, unknown>)[k] !== undefined && (a as unknown as Record<string, unknown>)[k] !== false);
  if (given.length > 0) throw new UsageError(`--${given[0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: not modelled under --architecture (its simulator places reservations only, as the Omega simulator does)`);
  const reactions = Object.keys(reactionsSpecFromArgs(a));
  if (reactions.length > 0) throw new UsageError(`--${reactions[0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: not modelled under --architecture`);
  const spec = specFromArgs(a, a.policy);
  if (a.out !== undefined) await checkOutputTarget({ path: a.out, kind: 'results-folder', force: a.force });
  const progress = progressReporter('replay', a.quiet);
  const { results, workload, wallSeconds } = await runArchitectureSpec(spec, arch, (now, horizon) => progress.update(now, horizon, 0));
  progress.done();
  if (a.out !== undefined) {
    const tmp = beginOutput(a.out, 'folder');
    try {
      writeFileSync(join(tmp, 'run.json'), JSON.stringify({ schedlab: schedlabVersion(), command: 'replay', seed: spec.seed, config: { ...spec, architecture: arch }, workloadNotes: workload.notes, architecture: results }, null, 2) + '\n');
      writeTimingFile(tmp, 'replay', { wallSeconds });
      commitOutput(tmp, a.out);
    } catch (e) {
      abandonOutput(tmp);
      throw e;
    }
  }
  if (a.json) {
    process.stdout.write(JSON.stringify(results, null, 2) + '\n');
    return;
  }
  process.stdout.write(renderArchitectureSummary(results));
  for (const n of [...workload.notes, ...results.notes]) process.stdout.write(`note: ${n}\n`);
  if (a.out !== undefined) process.stdout.write(`results written to ${a.out}\n`);
  process.stderr.write(`schedlab replay: seed ${spec.seed}, architecture ${results.architecture}, replayed in ${wallSeconds.toFixed(2)} s\n`);
}
