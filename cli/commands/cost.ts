import type { CommandModule } from 'yargs';
import { existingFile, positiveInt, fraction } from '../options.js';
import { instanceType, loadCatalog } from '../../model/instance-catalog.js';
import { costPerYear, formatDollars, formatPrice, idleCost } from '../../reports/cost.js';

interface CostArgs {
  instance: string;
  nodes: number;
  utilization: number;
  catalog?: string;
  json: boolean;
}

export const costCommand: CommandModule<object, CostArgs> = {
  command: 'cost',
  describe: 'yearly cost of a fleet and the share of it paid for idle capacity',
  builder: (y) =>
    y
      .option('instance', { type: 'string', default: 'm5.2xlarge', describe: 'instance type from the catalog' })
      .option('nodes', { type: 'string', default: '1', coerce: positiveInt('nodes'), describe: 'number of nodes' })
      .option('utilization', { type: 'string', default: '1', coerce: fraction('utilization'), describe: 'average utilization, 0–1' })
      .option('catalog', { type: 'string', coerce: existingFile('catalog'), describe: 'instance catalog JSON' })
      .option('json', { type: 'boolean', default: false })
      .example('$0 cost --instance m5.2xlarge --nodes 100 --utilization 0.5', '$336,384.00 a year, $168,192.00 idle') as never,
  handler: (a) => {
    const catalog = loadCatalog(a.catalog);
    const t = instanceType(catalog, a.instance);
    const perYear = costPerYear(t.pricePerHour, a.nodes);
    const idle = idleCost(perYear, a.utilization);
    if (a.json) {
      process.stdout.write(JSON.stringify({ instance: t.name, pricePerHour: t.pricePerHour, region: catalog.region, priceDate: catalog.priceDate, nodes: a.nodes, utilization: a.utilization, perYear, idlePerYear: idle }, null, 2) + '\n');
      return;
    }
    process.stdout.write(
      `${a.nodes.toLocaleString('en-US')} × ${t.name} (${t.vcpu} vCPU, ${t.memoryGiB} GiB) at ${formatPrice(t.pricePerHour)}/h (${catalog.region}, prices of ${catalog.priceDate})\n` +
        `cost per year:        ${formatDollars(perYear)}\n` +
        `idle at ${(a.utilization * 100).toFixed(1)}% utilization: ${formatDollars(idle)} per year\n`,
    );
  },
};
