import type { CommandModule } from 'yargs';
import { BUILTIN_POLICIES } from '../../algorithms/registry.js';

export const policiesCommand: CommandModule = {
  command: 'policies',
  describe: 'list the built-in placement policies',
  builder: (y) => y.example('$0 policies', 'one line per policy'),
  handler: () => {
    const width = Math.max(...BUILTIN_POLICIES.map((p) => p.name.length));
    for (const p of BUILTIN_POLICIES) process.stdout.write(`${p.name.padEnd(width)}  ${p.description}\n`);
    process.stdout.write(`\nYour own: --policy ./my-policy.ts (see examples/my-policy.ts)\n`);
  },
};
