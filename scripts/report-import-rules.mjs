// Reads dependency-cruiser's JSON result (stdin) and prints one line per broken import rule of
// .dependency-cruiser.cjs, naming the importing and the imported file (a cycle: the whole loop):
//
//   import rule algorithms-import-only-model broken: algorithms/a.ts imports workloads/b.ts (A policy sees ...)
//
// Exit code 1 on any violation, or when the input is not a cruise result (the cruise itself failed).
import { readFileSync } from 'node:fs';

let result;
try {
  result = JSON.parse(readFileSync(0, 'utf8'));
} catch {
  console.error('import rules: no result from dependency-cruiser (see its message above)');
  process.exit(1);
}
const summary = result?.summary;
if (!summary || !Array.isArray(summary.violations)) {
  console.error('import rules: dependency-cruiser gave no summary');
  process.exit(1);
}
const comments = new Map((summary.ruleSetUsed?.forbidden ?? []).map((r) => [r.name, r.comment]));
for (const v of summary.violations) {
  const what = v.cycle ? [v.from, ...v.cycle.map((c) => c.name)].join(' → ') : `${v.from} imports ${v.to}`;
  const why = comments.get(v.rule.name);
  console.log(`import rule ${v.rule.name} broken: ${what}${why ? ` (${why})` : ''}`);
}
const n = summary.violations.length;
console.log(n === 0 ? `import rules hold: ${summary.totalCruised} modules, ${summary.totalDependenciesCruised} imports` : `${n} import rule violation${n === 1 ? '' : 's'}`);
process.exit(n === 0 ? 0 : 1);
