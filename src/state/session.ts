/** The deploy state over one run: restored at the start, the carried targets added, kept for the next at the end. */
import type { PlanTargets } from '../plan/operations.js';
import type { Log, StateSettings } from '../settings.js';
import type { ChangedFiles } from '../targets/changed-files.js';
import type { EarlierManifest } from '../targets/content.js';
import { count } from '../text.js';
import { actionsCacheStore, type StateStore, writeStateFile } from './cache-store.js';
import { type CarriedOver, carriedOver, stateForNextRun, withCarried } from './carry.js';
import { type DeployState, type PendingTarget, parseState, serializeState } from './format.js';

export class DeployStateSession {
  private carried: { sent: PendingTarget[]; kept: PendingTarget[] } = { sent: [], kept: [] };
  private targets: PlanTargets | undefined;

  private constructor(
    private readonly store: StateStore,
    private readonly restored: { state: DeployState; text: string } | undefined,
    /** The manifest changed-files-source: content compares with. */
    readonly earlier: EarlierManifest,
    /** The targets earlier runs could not deliver, for the log, the summary and the report file. */
    readonly carriedOver: CarriedOver | undefined,
    private readonly log: Log,
  ) {}

  /** Restores the state of the deployment; a cache that cannot be read, or a state that fails the checks, is a warning. */
  static async open(
    settings: StateSettings,
    env: Record<string, string | undefined>,
    log: Log,
    store: StateStore = actionsCacheStore(settings, env, log),
  ): Promise<DeployStateSession> {
    const restored = await store.restore();
    if (restored.text === undefined) {
      log.info(`Deploy state: none restored (${restored.why}).`);
      return new DeployStateSession(
        store,
        undefined,
        { manifest: undefined, why: restored.why },
        undefined,
        log,
      );
    }
    const state = parseState(restored.text, settings.baseUrls);
    if ('invalid' in state) {
      const why = `the state restored from ${restored.key} is ignored: ${state.invalid}`;
      log.warning(`Deploy state: ${why}; this run goes on as a first deploy.`);
      return new DeployStateSession(store, undefined, { manifest: undefined, why }, undefined, log);
    }
    const files = state.manifest ? `a manifest of ${count(state.manifest.size, 'file')}` : 'no manifest';
    log.info(
      `Deploy state: restored ${restored.key}, saved ${state.savedAt}: ${files}, ${count(state.pending.length, 'pending target')}.`,
    );
    const carried = carriedOver(state.pending);
    if (carried) {
      log.info(
        `Deploy state: ${count(carried.count, 'target')} carried over from earlier runs (not delivered since ${carried.since}), sent again by this run.`,
      );
    }
    const earlier: EarlierManifest = state.manifest
      ? { manifest: state.manifest, savedAt: state.savedAt }
      : { manifest: undefined, why: `the state saved ${state.savedAt} holds none` };
    return new DeployStateSession(store, { state, text: restored.text }, earlier, carried, log);
  }

  /** This run's targets and the ones earlier runs left. */
  addCarried(targets: PlanTargets): PlanTargets {
    const added = withCarried(targets, this.restored?.state.pending ?? []);
    this.carried = { sent: added.sent, kept: added.kept };
    this.targets = added.targets;
    return added.targets;
  }

  /**
   * Writes the state for the next run, given the targets this run did not deliver, and saves it to the cache when
   * it differs from the one restored. Returns the state file's path.
   */
  async keep(changed: ChangedFiles | undefined, undelivered: ReadonlySet<string>): Promise<string> {
    const now = new Date().toISOString();
    const next = stateForNextRun(
      {
        now,
        targets: this.targets ?? { mode: 'purge', urls: [], paths: [] },
        carried: this.carried,
        content: changed?.manifest && {
          previous: this.earlier.manifest,
          current: changed.manifest,
          files: changed.mapping.files,
        },
      },
      undelivered,
    );
    await writeStateFile(this.store.path, serializeState(next));
    const unchanged = this.restored
      ? serializeState({ ...next, savedAt: this.restored.state.savedAt }) === this.restored.text
      : next.manifest === undefined && next.pending.length === 0;
    if (unchanged) {
      this.log.info('Deploy state: unchanged by this run; nothing to save.');
      return this.store.path;
    }
    if (next.pending.length > 0) {
      this.log.info(
        `Deploy state: ${count(next.pending.length, 'target')} not delivered, written to the state for the next run.`,
      );
    }
    await this.store.save();
    return this.store.path;
  }
}
