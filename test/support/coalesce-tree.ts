/** The job the coalescing tests run (test/e2e/coalesce.test.ts, test/plan/coalesce-step.test.ts): 30,000 URLs. */
import { afterEach, beforeEach } from 'vitest';
import {
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';

export const HOST_ROOT = 'https://www.example.com/';
/** 30,000 URLs in a three-level tree: 10 × 10 × 10 folders of 30 files. */
export const TREE = Array.from(
  { length: 30_000 },
  (_, i) => `${HOST_ROOT}s${i % 10}/t${Math.floor(i / 10) % 10}/u${Math.floor(i / 100) % 10}/${i}.js`,
);

/** The workspace's files: the tree in urls.txt. */
export const TREE_FILES = { 'urls.txt': TREE.join('\n') };

/** The step's inputs: the tree from urls-file, sent to `emulator`, with `inputs` added or overriding. */
export function treeInputs(
  emulator: TencentCdnEmulator,
  inputs: Record<string, string>,
): Record<string, string> {
  return { ...stepInputs(emulator), 'urls-file': 'urls.txt', ...inputs };
}

/** Registers, for the calling test file, an emulator started before each test and closed after it. */
export function emulatorPerTest(): { emulator: TencentCdnEmulator } {
  const cdn = {} as { emulator: TencentCdnEmulator };
  beforeEach(async () => {
    cdn.emulator = await startTencentCdnEmulator();
  });
  afterEach(() => cdn.emulator.close());
  return cdn;
}
