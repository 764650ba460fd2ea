/**
 * (f) What a 100,000-URL job writes where a runner limits it: GITHUB_OUTPUT (about 1 MB per job, counted in
 * UTF-16), the job summary (1 MiB per step), the log, and the report file that holds everything. Runs of
 * dist/index.js with the URLs in urls-file: a dry run (one by one, and coalesced), and a prefetch that today's quota refuses (the emulator's
 * default 1,000 prefetches a day), where every URL is in `failed`.
 */
import { startTencentCdnEmulator, stepInputs } from '../test/fakes/tencent-cdn/emulator.js';
import { type ActionRun, runAction } from '../test/support/run-action.js';

const URLS = 100_000;
const bytes = (n: number): string => `${n.toLocaleString('en-US')} bytes`;

function print(label: string, run: ActionRun, reportBytes: number): void {
  console.log(
    `    ${label}: GITHUB_OUTPUT ${bytes(run.outputBytes)}, summary ${bytes(Buffer.byteLength(run.summary))}, log ${bytes(Buffer.byteLength(run.stdout))}; report-file ${(reportBytes / 1024 / 1024).toFixed(1)} MiB (exit ${run.exitCode})`,
  );
}

/** Runs the bundle; the report file's size is that of its JSON, which runAction has read and parsed. */
async function measured(inputs: Record<string, string>, urls: string): Promise<[ActionRun, number]> {
  const run = await runAction(
    { provider: 'tencent-cdn', 'urls-file': 'urls.txt', ...inputs },
    { files: { 'urls.txt': urls } },
  );
  return [run, Buffer.byteLength(JSON.stringify(run.report ?? null))];
}

export async function limitsBench(): Promise<void> {
  const urls = Array.from({ length: URLS }, (_, i) => `https://www.example.com/assets/${i}/app.js`).join(
    '\n',
  );
  console.log(
    `(f) ${URLS.toLocaleString('en-US')} URLs (urls-file ${bytes(Buffer.byteLength(urls))}) through dist/index.js:`,
  );
  // coalesce: off keeps the 100,000 URLs one by one: the largest outputs and log a dry run can write.
  print('dry run, coalesce: off', ...(await measured({ 'dry-run': 'true', coalesce: 'off' }, urls)));
  print('dry run, coalesced', ...(await measured({ 'dry-run': 'true' }, urls)));
  const emulator = await startTencentCdnEmulator();
  try {
    const inputs = { ...stepInputs(emulator), mode: 'prefetch' };
    print('prefetch quota failure', ...(await measured(inputs, urls)));
  } finally {
    await emulator.close();
  }
}
