/**
 * The import rules of src/ (README, Development): data flows one way, inputs → targets → plan → state → delivery →
 * report, and a stage imports only those before it (state/, the deploy state between runs, stands after the plan
 * it adds carried targets to, and only main.ts and report/ read it); settings.ts, errors.ts and text.ts import no stage; outside
 * src/providers/ only the provider interface is imported, and the registry only by main.ts; no cycles, type
 * imports included.
 */
const STAGES = ['inputs', 'targets', 'plan', 'state', 'delivery', 'report'];

const stageOrder = STAGES.map((stage, index) => ({
  name: `stage-order-${stage}`,
  comment: `${stage}/ imports no later stage (${STAGES.slice(index + 1).join(', ') || 'none'}) and not main.ts`,
  severity: 'error',
  from: { path: `^src/${stage}/` },
  to: { path: [...STAGES.slice(index + 1).map((later) => `^src/${later}/`), '^src/(main|index)\\.ts$'] },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no import cycle, type imports included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...stageOrder,
    {
      name: 'base-imports-no-stage',
      comment: 'settings.ts, errors.ts and text.ts are the base every stage stands on',
      severity: 'error',
      from: { path: '^src/(settings|errors|text)\\.ts$' },
      to: { path: '^src/(inputs|targets|plan|state|delivery|report|providers)/|^src/(main|index)\\.ts$' },
    },
    {
      name: 'providers-through-the-interface',
      comment: 'outside src/providers/ only the interface is imported (provider.ts, transport.ts)',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/providers/|^src/main\\.ts$' },
      to: { path: '^src/providers/', pathNot: '^src/providers/(provider|transport)\\.ts$' },
    },
    {
      name: 'providers-through-the-registry',
      comment: 'main.ts reaches the providers through the registry alone',
      severity: 'error',
      from: { path: '^src/main\\.ts$' },
      to: { path: '^src/providers/', pathNot: '^src/providers/(provider|transport|registry)\\.ts$' },
    },
    {
      name: 'providers-outside-the-stages',
      comment: 'a provider uses the base and the input readers, never a stage',
      severity: 'error',
      from: { path: '^src/providers/' },
      to: {
        path: '^src/(targets|plan|state|delivery|report)/|^src/inputs/|^src/(main|index)\\.ts$',
        pathNot: '^src/inputs/(values|urls)\\.ts$',
      },
    },
    {
      name: 'one-provider-family-at-a-time',
      comment: 'a provider family imports no other family (tencent/ and aliyun/ stand alone)',
      severity: 'error',
      from: { path: '^src/providers/([^/]+)/' },
      to: { path: '^src/providers/[^/]+/', pathNot: '^src/providers/$1/' },
    },
  ],
  options: {
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
