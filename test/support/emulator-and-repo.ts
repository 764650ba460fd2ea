/** What the changed-files tests share: a Tencent CDN emulator, new for every test, and a git fixture. */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
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

/**
 * Registers, for the calling test file, an emulator made before each test and one repository for all its tests,
 * built by `build` once: for tests that only read the repository (each checks out a workspace of its own).
 */
export function emulatorPerTestRepoPerFile<T>(build: (fixture: EmulatorAndRepo) => T): EmulatorAndRepo & {
  built: T;
} {
  const fixture = {} as EmulatorAndRepo & { built: T };
  beforeAll(() => {
    fixture.repo = new GitFixture();
    fixture.built = build(fixture);
  });
  afterAll(() => fixture.repo.cleanup());
  beforeEach(async () => {
    fixture.emulator = await startTencentCdnEmulator();
  });
  afterEach(() => fixture.emulator.close());
  return fixture;
}
