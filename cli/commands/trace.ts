import type { Argv, CommandModule } from 'yargs';
import { traceConvertCommand } from './trace-convert.js';
import { formatInspectReport, inspect } from '../../workloads/google-2011/inspect.js';
import type { OnBadRow } from '../../workloads/reader-kit/bad-rows.js';
import { detectWorkloadFormat, formatEntry, knownFormatNames } from '../../workloads/format-registry.js';
import { formatWorkloadInspectReport, inspectWorkload } from '../../workloads/inspect-workload.js';
import { generatedNodeShape } from '../../workloads/open-workload.js';
import { checkZones } from '../../workloads/generated-nodes.js';
import { instanceType, loadCatalog } from '../../model/instance-catalog.js';
import { UsageError } from '../../model/errors.js';
import { existingFile, MAX_NODES, path, positiveInt } from '../options.js';

interface InspectArgs {
  path: string;
  json: boolean;
  format?: string;
  'on-bad-row': OnBadRow;
  nodes?: number;
  instance: string;
  zones?: number;
  catalog?: string;
}

/** Replaces NaN/Infinity (not JSON) by null so `--json` output always parses. */
function jsonSafe(_key: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

const inspectCommand: CommandModule<object, InspectArgs> = {
  command: 'inspect <path>',
  describe: 'summarize a trace (folder, table folder, file or glob) and list its problems',
  builder: (y: Argv<object>) =>
    y
      .positional('path', {
        type: 'string',
        demandOption: true,
        coerce: path('trace inspect <path>'),
        describe:
          `a trace folder, table folder, file or glob of a known format (${knownFormatNames().join(', ')}; detected unless --format)`,
      })
      .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
      .option('format', { type: 'string', describe: `trace format instead of auto-detection (${knownFormatNames().join(', ')})` })
      .option('on-bad-row', {
        choices: ['fail', 'skip'] as const,
        default: 'fail' as const,
        describe: 'stop at the first malformed row (a folder of manifests: file), or skip them and count them by reason',
      })
      .option('nodes', { type: 'string', coerce: positiveInt('nodes', MAX_NODES), describe: 'Kubernetes manifests without Node objects: run them on this many generated nodes (DaemonSets make one pod per node)' })
      .option('instance', { type: 'string', default: 'm5.2xlarge', describe: 'with --nodes: instance type of the generated nodes (shape from the catalog)' })
      .option('zones', { type: 'string', coerce: (v: unknown) => checkZones(positiveInt('zones')(v)), describe: 'with --nodes: zones to spread the generated nodes over (default 3)' })
      .option('catalog', { type: 'string', coerce: existingFile('catalog'), describe: 'instance catalog JSON (default: model/instance-catalog.json)' })
      .example('$0 trace inspect ../shared/data/google-2011', 'all tables of the 2011 trace')
      .example('$0 trace inspect ../shared/data/google-2011/task_events --json', 'one table, as JSON')
      .example('$0 trace inspect ../shared/data/alibaba-2018', 'machines of the Alibaba 2018 trace')
      .example('$0 trace inspect ./manifests --nodes 5', 'manifests without Node objects, on 5 generated m5.2xlarge nodes') as unknown as Argv<InspectArgs>,
  handler: async (argv) => {
    const onBadRow = argv['on-bad-row'];
    const { format } = await detectWorkloadFormat(argv.path, argv.format);
    // Google 2011 keeps its own table-level inspect: it reproduces the published counts per table.
    if (format === 'google-2011') {
      const report = await inspect(argv.path, { format, onBadRow });
      process.stdout.write(argv.json ? `${JSON.stringify(report, jsonSafe, 2)}\n` : `${formatInspectReport(report)}\n`);
      return;
    }
    if (argv.nodes !== undefined && format !== 'kubernetes') {
      throw new UsageError(`--nodes: only Kubernetes manifests without Node objects run on generated nodes; ${argv.path} is ${format}`);
    }
    const catalog = loadCatalog(argv.catalog);
    const instance = instanceType(catalog, argv.instance);
    const kubernetes = { nodes: argv.nodes, nodeShape: generatedNodeShape(instance), instanceType: instance.name, zones: argv.zones, region: catalog.region };
    const workload = await formatEntry(format, argv.path).read(argv.path, { format, onBadRow, kubernetes });
    const report = await inspectWorkload(workload, format);
    process.stdout.write(argv.json ? `${JSON.stringify(report, jsonSafe, 2)}\n` : `${formatWorkloadInspectReport(report)}\n`);
  },
};

/** `schedlab trace <subcommand>`: tools for trace files (for now: inspect). */
export const traceCommand: CommandModule = {
  command: 'trace <command>',
  describe: 'work with trace files (inspect, convert)',
  builder: (y) =>
    y
      .command(inspectCommand as unknown as CommandModule)
      .command(traceConvertCommand as unknown as CommandModule)
      .demandCommand(1, 'give a trace subcommand: inspect, convert'),
  handler: () => {},
};

export default traceCommand;
