// The import rules of README.md § Layout, checked by `npm run lint:deps` (part of `npm test`).
// model/ is the ground floor; workloads/, algorithms/ and reports/ stand on it alone; harness/
// composes them; cli/, api/ (the library entry point) and bench/ sit on top and nothing below
// imports them. Type-only imports count.
/** The project's top-level code folders, as a path pattern. */
const folders = (...names) => `^(${names.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: split out what both sides need (usually a type) into its own file.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'model-imports-nothing',
      severity: 'error',
      comment: 'model/ is the shared vocabulary: it imports nothing of the project.',
      from: { path: folders('model') },
      to: { path: folders('workloads', 'algorithms', 'harness', 'reports', 'cli', 'api', 'bench', 'examples', 'test') },
    },
    {
      name: 'workloads-import-only-model',
      severity: 'error',
      comment: 'Readers and generators produce model records; they import only model/.',
      from: { path: folders('workloads') },
      to: { path: folders('algorithms', 'harness', 'reports', 'cli', 'api', 'bench', 'examples', 'test') },
    },
    {
      name: 'algorithms-import-only-model',
      severity: 'error',
      comment: 'A policy sees tasks and a cluster view (model/), never a file format or the simulator.',
      from: { path: folders('algorithms') },
      to: { path: folders('workloads', 'harness', 'reports', 'cli', 'api', 'bench', 'examples', 'test') },
    },
    {
      name: 'reports-import-only-model',
      severity: 'error',
      comment: "reports/ reads a results record whose type it (or model/) defines, never the simulator's internals.",
      from: { path: folders('reports') },
      to: { path: folders('workloads', 'algorithms', 'harness', 'cli', 'api', 'bench', 'examples', 'test') },
    },
    {
      name: 'harness-composes-the-layers-below',
      severity: 'error',
      comment: 'harness/ may import model/, algorithms/, workloads/ and reports/; never cli/ or bench/.',
      from: { path: folders('harness') },
      to: { path: folders('cli', 'api', 'bench', 'examples', 'test') },
    },
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      comment: 'cli/ is the top: it may import anything, nothing imports it.',
      from: { pathNot: folders('cli', 'test') },
      to: { path: folders('cli') },
    },
    {
      name: 'nothing-imports-api',
      comment: "api/ is the library's entry point (package exports), beside cli/: the layers below never import it; examples and tests may.",
      severity: 'error',
      from: { pathNot: folders('api', 'examples', 'test') },
      to: { path: folders('api') },
    },
    {
      name: 'nothing-imports-bench',
      severity: 'error',
      comment: 'bench/ measures the layers; nothing imports it (but its own tests).',
      from: { pathNot: folders('bench', 'test') },
      to: { path: folders('bench') },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    // Type-only imports are dependencies too: the shape of the code is what these rules keep.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
