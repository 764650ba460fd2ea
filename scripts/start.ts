/**
 * `npm start`: runs the bundled action against the built-in emulator of a provider on 127.0.0.1, and prints the
 * log, the outputs and the job summary. No credentials or network needed.
 *
 *   npm start                                   a sample Tencent CDN purge-prefetch of 1,250 URLs
 *   npm start -- --provider aliyun-cdn --mode purge-prefetch --urls https://www.example.com/a.js
 *   npm start -- --provider tencent-edgeone --hosts www.example.com --dry-run
 *
 * Every `--<input> <value>` is the step's input of that name (`--dry-run` alone means `true`); the emulator's
 * endpoint and keys are added unless given.
 */
import { ALIYUN_CREDENTIALS, startAliyunCdnEmulator } from '../test/fakes/aliyun-cdn/emulator.js';
import { startTencentCdnEmulator, stepInputs } from '../test/fakes/tencent-cdn/emulator.js';
import {
  DEFAULT_ZONE_ID,
  EDGEONE_CREDENTIALS,
  startEdgeOneEmulator,
} from '../test/fakes/tencent-edgeone/emulator.js';
import { runAction } from '../test/support/run-action.js';
import { summaryAsMarkdown } from './summary-markdown.js';

interface Emulator {
  url: string;
  requests: readonly unknown[];
  close(): Promise<void>;
}

/** The emulator of each provider, and the inputs that point a step at it. */
const EMULATORS: Record<string, () => Promise<{ emulator: Emulator; inputs: Record<string, string> }>> = {
  'tencent-cdn': async () => {
    // A push quota above Tencent's default of 1,000 a day, so that the sample job fits; purge tasks done at the
    // first status read, so that the wait before the prefetch is one poll (2 s).
    const emulator = await startTencentCdnEmulator({
      latencyMs: 20,
      dailyQuota: { pushUrls: 5000 },
      taskProgress: { doneAfterPolls: 0 },
    });
    return { emulator, inputs: stepInputs(emulator) };
  },
  'tencent-edgeone': async () => {
    const emulator = await startEdgeOneEmulator({ latencyMs: 20 });
    const inputs = {
      provider: 'tencent-edgeone',
      'zone-id': DEFAULT_ZONE_ID,
      endpoint: emulator.url,
      'secret-id': EDGEONE_CREDENTIALS.secretId,
      'secret-key': EDGEONE_CREDENTIALS.secretKey,
    };
    return { emulator, inputs };
  },
  'aliyun-cdn': async () => {
    const emulator = await startAliyunCdnEmulator({ latencyMs: 20 });
    const inputs = {
      provider: 'aliyun-cdn',
      endpoint: emulator.url,
      'secret-id': ALIYUN_CREDENTIALS.accessKeyId,
      'secret-key': ALIYUN_CREDENTIALS.accessKeySecret,
    };
    return { emulator, inputs };
  },
};

/** `--name value` pairs as inputs; a flag with no value (`--dry-run`) is `true`. */
export function inputsFromArguments(args: readonly string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const name = args[i] ?? '';
    if (!name.startsWith('--')) throw new Error(`expected --<input> <value>, got ${name}`);
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) {
      inputs[name.slice(2)] = 'true';
    } else {
      inputs[name.slice(2)] = value;
      i++;
    }
  }
  return inputs;
}

/** The log as a runner shows it, with long runs of URL lines cut to their first three. */
function collapseUrlLines(log: string): string {
  let run = 0;
  return log
    .split('\n')
    .flatMap((line) => {
      run = line.startsWith('  https://') ? run + 1 : 0;
      return run <= 3 ? [line] : run === 4 ? ['  …'] : [];
    })
    .join('\n');
}

const SAMPLE = {
  mode: 'purge-prefetch',
  urls: Array.from({ length: 1250 }, (_, i) => `https://www.example.com/assets/app-${i}.js`).join('\n'),
  paths: 'https://www.example.com/static/',
};

async function main(args: readonly string[]): Promise<void> {
  const given = args.length === 0 ? SAMPLE : inputsFromArguments(args);
  const provider = 'provider' in given ? given.provider : 'tencent-cdn';
  const start = EMULATORS[provider];
  if (!start) throw new Error(`--provider: one of ${Object.keys(EMULATORS).join(', ')}`);
  const { emulator, inputs } = await start();
  try {
    console.log(`Emulator of the ${provider} API listening on ${emulator.url}`);
    console.log(
      args.length === 0
        ? 'Running dist/index.js with mode purge-prefetch, 1,250 URLs and one directory:\n'
        : `Running dist/index.js with ${Object.keys(given).join(', ')}:\n`,
    );
    // A runner expands github-token's default, ${{ github.token }}; here there is no token to give.
    const run = await runAction({ ...inputs, 'github-token': '', ...given });
    console.log(collapseUrlLines(run.stdout));
    console.log('\nOutputs:');
    for (const [name, value] of Object.entries(run.outputs)) {
      console.log(`  ${name}: ${value.length > 160 ? `${value.slice(0, 160)}…` : value}`);
    }
    console.log('\nJob summary (Markdown):\n');
    console.log(summaryAsMarkdown(run.summary));
    console.log(`\nThe emulator received ${emulator.requests.length} requests; exit code ${run.exitCode}.`);
    process.exitCode = run.exitCode;
  } finally {
    await emulator.close();
  }
}

if (process.argv[1] === import.meta.filename) await main(process.argv.slice(2));
