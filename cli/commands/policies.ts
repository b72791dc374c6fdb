import type { CommandModule } from 'yargs';
import { BUILTIN_POLICIES } from '../../algorithms/registry.js';
import { allAlgorithms } from '../../algorithms/offline/registry.js';
import { QUEUE_ORDERS } from '../../harness/queue-order.js';
import { GPU_POLICIES } from '../../algorithms/gpu/registry.js';

/** `schedlab policies`: every placement policy, offline packer and queue order, one line each. */
export const policiesCommand: CommandModule = {
  command: 'policies',
  describe: 'list the placement policies, offline packers and queue orders',
  builder: (y) => y.example('$0 policies', 'one line per policy'),
  handler: () => {
    const out: string[] = ['Online placement policies (schedlab replay / compare --policy NAME):'];
    const width = Math.max(...BUILTIN_POLICIES.map((p) => p.name.length));
    for (const p of BUILTIN_POLICIES) out.push(`  ${p.name.padEnd(width)}  ${p.description}`);
    out.push('  ./file.ts|.js' + ' '.repeat(Math.max(2, width - 12)) + 'your own policy (see examples/my-policy.ts)');
    out.push('', 'Offline packers (schedlab pack --algorithms NAME,...; also "all" and "exact" for the HiGHS MIP):');
    out.push(`  one dimension:   ${allAlgorithms(1).join(', ')}`);
    out.push(`  vectors:         ${allAlgorithms(3).join(', ')}`);
    out.push('  grammar:         FFD|BFD|WFD[-L1|Linf|L2|Prod|Dim<k>][-Unit|Avg|Scarcity|Expo|ReciprocAvg], FF|BF|WF|NF[-Shuffle], BCS-DP1|BCS-L2Norm[-<weight>]');
    out.push('', 'GPU-sharing packing experiment (schedlab experiment fgd --policies NAME,...):');
    const gw = Math.max(...GPU_POLICIES.map((p) => p.name.length));
    for (const p of GPU_POLICIES) out.push(`  ${p.name.padEnd(gw)}  ${p.description}`);
    out.push('', 'Queue orders (--queue): ' + QUEUE_ORDERS.join(', '));
    process.stdout.write(out.join('\n') + '\n');
  },
};
