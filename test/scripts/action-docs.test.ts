import { describe, expect, it } from 'vitest';
import {
  declaredInputsModule,
  generatedReadme,
  inputsTable,
  outputsTable,
} from '../../scripts/action-docs.js';

const ACTION = `
name: x
inputs:
  provider:
    description: "The CDN."
    required: true
  mode:
    description: |
      purge or
      prefetch | both.
    default: purge
  urls:
    description: URLs.
    default: ""
outputs:
  status:
    description: "submitted or failed."
`;

const README = `# x
<!-- inputs:start (generated from action.yml by npm run docs) -->
old
<!-- inputs:end -->
text between
<!-- outputs:start (generated from action.yml by npm run docs) -->
<!-- outputs:end -->
`;

describe('action docs', () => {
  it("makes the inputs table in action.yml's order: required, default, folded description", () => {
    expect(inputsTable({ inputs: { provider: { description: 'The CDN.', required: true } } })).toBe(
      '| input | default | meaning |\n|---|---|---|\n| `provider` | (required) | The CDN. |',
    );
  });

  it('rewrites only what stands between the markers', () => {
    expect(generatedReadme(README, ACTION)).toBe(`# x
<!-- inputs:start (generated from action.yml by npm run docs) -->
| input | default | meaning |
|---|---|---|
| \`provider\` | (required) | The CDN. |
| \`mode\` | \`purge\` | purge or prefetch \\| both. |
| \`urls\` |  | URLs. |
<!-- inputs:end -->
text between
<!-- outputs:start (generated from action.yml by npm run docs) -->
| output | meaning |
|---|---|
| \`status\` | submitted or failed. |
<!-- outputs:end -->
`);
    expect(outputsTable({})).toBe('| output | meaning |\n|---|---|');
  });

  it('says which markers are missing', () => {
    expect(() => generatedReadme('# no markers', ACTION)).toThrow(
      'README.md lacks the markers <!-- inputs:start',
    );
  });

  it('writes the declared input names, in action.yml order, for the run-time check', () => {
    expect(declaredInputsModule(ACTION)).toContain(
      "export const DECLARED_INPUTS: readonly string[] = [\n  'provider',\n  'mode',\n  'urls',\n];\n",
    );
  });
});
