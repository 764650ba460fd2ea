/** What the changed-files e2e tests share: a Tencent CDN emulator and a git fixture, new for every test. */
import { afterEach, beforeEach } from 'vitest';
import { startTencentCdnEmulator, type TencentCdnEmulator } from '../fakes/tencent-cdn/emulator.js';
import { GitFixture } from './git-fixture.js';

export interface EmulatorAndRepo {
  /** A test may close it and start another here; the one here at the end is closed. */
  emulator: TencentCdnEmulator;
  repo: GitFixture;
}

/** Registers, for the calling test file, an emulator and a repository made before each test and removed after it. */
export function emulatorAndRepoPerTest(): EmulatorAndRepo {
  const fixture = {} as EmulatorAndRepo;
  beforeEach(async () => {
    fixture.emulator = await startTencentCdnEmulator();
    fixture.repo = new GitFixture();
  });
  afterEach(async () => {
    await fixture.emulator.close();
    fixture.repo.cleanup();
  });
  return fixture;
}
