/**
 * `npm start`: runs the bundled action against the built-in Tencent CDN emulator on 127.0.0.1 with sample
 * inputs, and prints the log, the outputs and the job summary. No credentials or network needed.
 */
import { startTencentCdnEmulator, stepInputs } from '../test/fakes/tencent-cdn/emulator.js';
import { runAction } from '../test/support/run-action.js';
import { summaryAsMarkdown } from './summary-markdown.js';

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

// A push quota above Tencent's default of 1,000 a day, so that the sample job fits; purge tasks done at the first
// status read, so that the wait before the prefetch is one poll (2 s).
const emulator = await startTencentCdnEmulator({
  latencyMs: 20,
  dailyQuota: { pushUrls: 5000 },
  taskProgress: { doneAfterPolls: 0 },
});
try {
  const urls = Array.from({ length: 1250 }, (_, i) => `https://www.example.com/assets/app-${i}.js`);
  const inputs = {
    ...stepInputs(emulator),
    mode: 'purge-prefetch',
    urls: urls.join('\n'),
    paths: 'https://www.example.com/static/',
  };
  console.log(`Emulator of the Tencent CDN API listening on ${emulator.url}`);
  console.log('Running dist/index.js with mode purge-prefetch, 1,250 URLs and one directory:\n');
  const run = await runAction(inputs);
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
