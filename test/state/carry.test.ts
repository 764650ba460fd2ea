import { describe, expect, it } from 'vitest';
import { carriedOver, type RunForState, stateForNextRun, withCarried } from '../../src/state/carry.js';
import type { PendingTarget } from '../../src/state/format.js';
import type { Manifest } from '../../src/targets/manifest.js';
import type { MappedFile } from '../../src/targets/url-map.js';

const U = (path: string): string => `https://www.example.com/${path}`;
const H = (c: string) => ({ hash: c.repeat(64), size: 1 });
const NOW = '2026-12-04T12:00:00.000Z';
const EARLIER = '2026-12-01T08:00:00.000Z';

function file(status: string, path: string, urls: string[], skipped?: MappedFile['skipped']): MappedFile {
  return { status, path, urls: skipped ? [] : urls, deleted: status === 'D', skipped, site: undefined };
}

function run(overrides: Partial<RunForState> = {}): RunForState {
  return {
    now: NOW,
    targets: { mode: 'purge', urls: [], paths: [] },
    carried: { sent: [], kept: [] },
    content: undefined,
    ...overrides,
  };
}

describe('stateForNextRun: content', () => {
  const previous: Manifest = new Map([
    ['public/a.html', H('1')],
    ['public/gone.html', H('2')],
    ['public/blog/x.html', H('3')],
  ]);
  const current: Manifest = new Map([
    ['public/a.html', H('9')],
    ['public/blog/x.html', H('8')],
    ['public/new.html', H('7')],
    ['public/skip.map', H('6')],
  ]);
  const files = [
    file('M', 'public/a.html', [U('a.html')]),
    file('D', 'public/gone.html', [U('gone.html')]),
    file('M', 'public/blog/x.html', [U('blog/x.html')]),
    file('A', 'public/new.html', [U('new.html')]),
    file('A', 'public/skip.map', [], 'excluded'),
  ];
  const content = { previous, current, files };

  it('everything delivered: the new manifest, nothing pending', () => {
    const next = stateForNextRun(run({ content }), new Set());
    expect(next).toEqual({ savedAt: NOW, manifest: current, pending: [] });
  });

  it('a file not delivered keeps its old entry; a deleted one stays; an added one waits as a purge', () => {
    const next = stateForNextRun(run({ content }), new Set([U('a.html'), U('gone.html'), U('new.html')]));
    expect(Object.fromEntries(next.manifest ?? [])).toEqual({
      'public/a.html': H('1'),
      'public/gone.html': H('2'),
      'public/blog/x.html': H('8'),
      'public/skip.map': H('6'),
    });
    expect(next.pending).toEqual([{ target: U('new.html'), kind: 'purge-only', since: NOW }]);
  });

  it('a file under a directory whose purge failed (coalescing) keeps its old entry; the directory is not pending', () => {
    const next = stateForNextRun(run({ content }), new Set([U('blog/')]));
    expect(next.manifest?.get('public/blog/x.html')).toEqual(H('3'));
    expect(next.manifest?.get('public/a.html')).toEqual(H('9'));
    expect(next.pending).toEqual([]);
  });
});

describe('stateForNextRun: pending targets', () => {
  it('keeps each target not delivered, by how it was sent; hosts and tags are not carried', () => {
    const targets = {
      mode: 'purge' as const,
      urls: [U('a.js')],
      paths: [U('img/')],
      purgeOnlyUrls: [U('old.js')],
    };
    const next = stateForNextRun(
      run({ targets }),
      new Set([U('a.js'), U('img/'), U('old.js'), U('coalesced/'), 'www.example.com', 'tag-1']),
    );
    expect(next.manifest).toBeUndefined();
    expect(next.pending).toEqual([
      { target: U('a.js'), kind: 'url', since: NOW },
      { target: U('img/'), kind: 'path', since: NOW },
      { target: U('old.js'), kind: 'purge-only', since: NOW },
      { target: U('coalesced/'), kind: 'path', since: NOW },
    ]);
  });

  it('a carried target that fails again keeps its first date; one delivered is dropped; one not sendable stays', () => {
    const sent: PendingTarget[] = [
      { target: U('a.js'), kind: 'url', since: EARLIER },
      { target: U('b.js'), kind: 'url', since: EARLIER },
    ];
    const kept: PendingTarget[] = [{ target: U('dir/'), kind: 'path', since: EARLIER }];
    const targets = { mode: 'prefetch' as const, urls: [U('a.js'), U('b.js')], paths: [] };
    const next = stateForNextRun(run({ targets, carried: { sent, kept } }), new Set([U('a.js')]));
    expect(next.pending).toEqual([kept[0], { target: U('a.js'), kind: 'url', since: EARLIER }]);
  });

  it('stale URLs found after verification are added to the undelivered set like any failure', () => {
    const targets = { mode: 'purge' as const, urls: [U('a.js'), U('b.js')], paths: [] };
    const failed = [U('a.js')];
    const stale = [U('b.js')];
    expect(
      stateForNextRun(run({ targets }), new Set([...failed, ...stale])).pending.map((p) => p.target),
    ).toEqual([U('a.js'), U('b.js')]);
  });
});

describe('withCarried and carriedOver', () => {
  const pending: PendingTarget[] = [
    { target: U('a.js'), kind: 'url', since: '2026-12-03T00:00:00.000Z' },
    { target: U('dir/'), kind: 'path', since: EARLIER },
    { target: U('gone.js'), kind: 'purge-only', since: '2026-12-02T00:00:00.000Z' },
  ];

  it('adds each kind where it is sent', () => {
    const { targets, sent, kept } = withCarried({ mode: 'purge', urls: [U('x.js')], paths: [] }, pending);
    expect(targets).toEqual({
      mode: 'purge',
      urls: [U('x.js'), U('a.js')],
      paths: [U('dir/')],
      purgeOnlyUrls: [U('gone.js')],
    });
    expect(sent).toEqual(pending);
    expect(kept).toEqual([]);
  });

  it('a prefetch sends only file URLs; directories and deleted files wait for a purge', () => {
    const { targets, kept } = withCarried({ mode: 'prefetch', urls: [], paths: [] }, pending);
    expect(targets.urls).toEqual([U('a.js')]);
    expect(targets.paths).toEqual([]);
    expect(kept).toEqual([pending[1], pending[2]]);
  });

  it('says how many, and since when: the oldest', () => {
    expect(carriedOver(pending)).toEqual({ count: 3, since: EARLIER, targets: pending.map((p) => p.target) });
    expect(carriedOver([])).toBeUndefined();
  });
});
