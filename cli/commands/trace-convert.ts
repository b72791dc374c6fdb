import type { Argv, CommandModule } from 'yargs';
import type { WorkloadSource } from '../../workloads/workload-source.js';
import { existingFile, forceOption, hours, MAX_NODES, MAX_TASKS, nonNegativeInt, path, positiveInt } from '../options.js';
import { checkOutputTarget } from '../../reports/output-target.js';
import { openConvertSource } from '../../workloads/native/convert-source.js';
import { NATIVE_EXTENSION } from '../../workloads/native/native-extension.js';
import { plural } from '../../workloads/reader-kit/string-table.js';
import { knownFormatNames } from '../../workloads/format-registry.js';
import { checkZones } from '../../workloads/generated-nodes.js';
import type { OnBadRow } from '../../workloads/reader-kit/bad-rows.js';

export interface ConvertArgs extends Omit<WorkloadSource, 'workload'> {
  input: string;
  out: string;
  force: boolean;
  quiet: boolean;
  'on-bad-row': OnBadRow;
}


/**
 * `schedlab trace convert IN --out FILE`: any readable workload → one native `.schedlab.arrow`
 * file (workloads/native/SCHEMA.md), which replays without re-parsing the trace. The file appears
 * whole or not at all (written to a hidden temporary next to it, renamed at the end). An existing
 * file at --out is replaced only when it is an earlier native file and --force is given; any other
 * file is never overwritten (reports/output-target.ts).
 */
export const traceConvertCommand: CommandModule<object, ConvertArgs> = {
  command: 'convert <input>',
  describe: `convert a trace (or 'synthetic') to schedlab's native columnar file (${NATIVE_EXTENSION}) for fast repeated replays`,
  builder: (y: Argv<object>) =>
    y
      .positional('input', {
        type: 'string',
        demandOption: true,
        coerce: path('trace convert <input>'),
        describe: `a trace of any format schedlab reads (${knownFormatNames().join(', ')}; detected unless --format), or 'synthetic' (the embedded generator)`,
      })
      .option('out', { type: 'string', demandOption: true, describe: `the file to write (by convention *${NATIVE_EXTENSION}); an earlier native file is replaced only with --force` })
      .option('force', forceOption)
      .option('format', { type: 'string', describe: `input format instead of auto-detection (${knownFormatNames().join(', ')})` })
      .option('on-bad-row', {
        choices: ['fail', 'skip'] as const,
        default: 'fail' as const,
        describe: 'stop at the first malformed row (a folder of manifests: file), or skip them and count them by reason (stored in the notes)',
      })
      .option('seed', { type: 'string', default: '1', coerce: nonNegativeInt('seed'), describe: 'synthetic: random seed' })
      .option('nodes', { type: 'string', default: '100', coerce: positiveInt('nodes', MAX_NODES), describe: 'synthetic: number of nodes (a trace without nodes, such as manifests without Node objects, is stored without them: --nodes applies at replay)' })
      .option('tasks', { type: 'string', default: '20000', coerce: positiveInt('tasks', MAX_TASKS), describe: 'synthetic: number of tasks' })
      .option('hours', { type: 'string', default: '24', coerce: hours('hours'), describe: 'synthetic: arrival window, hours' })
      .option('instance', { type: 'string', default: 'm5.2xlarge', describe: 'synthetic: instance type of the nodes' })
      .option('zones', { type: 'string', coerce: (v: unknown) => checkZones(positiveInt('zones')(v)), describe: 'synthetic: zones to spread the nodes over (default 3)' })
      .option('catalog', { type: 'string', coerce: existingFile('catalog'), describe: 'instance catalog JSON (default: model/instance-catalog.json)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing on success' })
      .example(`$0 trace convert ../shared/data/google-2011 --out g2011${NATIVE_EXTENSION}`, 'the Google 2011 sample, once')
      .example(`$0 replay --workload g2011${NATIVE_EXTENSION}`, 'then replay it as often as you like')
      .example(`$0 trace convert synthetic --tasks 2000000 --nodes 12500 --seed 7 --out big${NATIVE_EXTENSION}`, 'freeze a generated workload')
      .example(`$0 trace convert ./manifests --on-bad-row skip --out app${NATIVE_EXTENSION}`, 'manifests without Node objects; then: replay --workload app' + NATIVE_EXTENSION + ' --nodes 5') as unknown as Argv<ConvertArgs>,
  handler: async (a) => {
    // The native reader and writer (apache-arrow with them) load here, not with every command.
    const { looksLikeNative } = await import('../../workloads/native/reader.js');
    const { droppedUsageWarning, writeNativeWorkload } = await import('../../workloads/native/writer.js');
    await checkOutputTarget({ path: a.out, kind: 'native-file', force: a.force, isNativeFile: looksLikeNative });
    const t0 = performance.now();
    const workload = await openConvertSource({
      input: a.input,
      format: a.format,
      seed: a.seed,
      nodes: a.nodes,
      tasks: a.tasks,
      hours: a.hours,
      instance: a.instance,
      catalog: a.catalog,
      zones: a.zones,
      onBadRow: a['on-bad-row'],
    });
    const r = await writeNativeWorkload(workload, a.out);
    const seconds = (performance.now() - t0) / 1000;
    if (!a.quiet) {
      process.stdout.write(
        `wrote ${r.file}: ${plural(r.tasks, 'task')} in ${`${r.batches.toLocaleString('en-US')} batch${r.batches === 1 ? '' : 'es'}`}, ` +
          `${plural(workload.machines.length, 'machine')} + ${plural(workload.machineEvents.length, 'machine event')}, ` +
          `${(r.bytes / 1e6).toFixed(1)} MB, ${seconds.toFixed(2)} s\n`,
      );
      if (workload.machines.length === 0 && workload.machineEvents.length === 0) {
        process.stderr.write('note: the input defines no nodes, so none are stored: replay the file with --nodes N --instance TYPE\n');
      }
      const dropped = droppedUsageWarning(workload);
      if (dropped !== undefined) process.stderr.write(`${dropped}\n`);
      if (!a.out.endsWith(NATIVE_EXTENSION)) {
        process.stderr.write(`note: native files are recognized by content, but the usual name ends in ${NATIVE_EXTENSION}\n`);
      }
    }
  },
};

export default traceConvertCommand;
