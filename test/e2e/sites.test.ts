/** `sites` through the bundle: a monorepo checkout whose folders are served at several hosts, in one step. */
import { expect, it } from 'vitest';
import { stepInputs } from '../fakes/tencent-cdn/emulator.js';
import { emulatorAndRepoPerTest } from '../support/emulator-and-repo.js';
import { runAction } from '../support/run-action.js';

const fixture = emulatorAndRepoPerTest();

it('purges each changed file of a monorepo under its own site, in shared batches, and nothing outside them', async () => {
  const before = fixture.repo.commit({
    'apps/web/dist/index.html': 'web',
    'apps/web/dist/app.js': 'js',
    'apps/web/dist/blog/index.html': 'blog',
    'apps/docs/dist/guide/start.html': 'docs',
    'apps/docs/src/start.md': 'source',
    'packages/ui/button.ts': 'ui',
  });
  const after = fixture.repo.commit({
    'apps/web/dist/index.html': 'web 2',
    'apps/web/dist/app.js': null,
    'apps/web/dist/blog/index.html': 'blog 2',
    'apps/web/dist/app.js.map': 'map',
    'apps/docs/dist/guide/start.html': 'docs 2',
    'apps/docs/dist/guide/new page.html': 'new',
    'apps/docs/src/start.md': 'source 2',
    'packages/ui/button.ts': 'ui 2',
  });
  fixture.repo.push();

  const run = await runAction(
    {
      ...stepInputs(fixture.emulator),
      'changed-files': 'true',
      sites: [
        'apps/web/dist => https://www.example.com/',
        '# the blog is served on a host of its own',
        'apps/web/dist/blog => https://blog.example.com',
        'apps/docs/dist/ => https://docs.example.com/v2/',
      ].join('\n'),
      exclude: '**/*.map',
    },
    {
      workspace: fixture.repo.checkout(),
      env: {
        ...fixture.repo.env,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: fixture.repo.event({ ref: 'refs/heads/main', before, after }),
      },
    },
  );

  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const purges = fixture.emulator.requests.filter((request) => request.action === 'PurgeUrlsCache');
  // Every site's URLs go out together: one batch, as the API takes up to 1,000.
  expect(purges).toHaveLength(1);
  expect([...((purges[0]?.body as { Urls?: string[] } | undefined)?.Urls ?? [])].sort()).toEqual(
    [
      'https://www.example.com/index.html',
      'https://www.example.com/',
      'https://www.example.com/app.js',
      'https://blog.example.com/index.html',
      'https://blog.example.com/',
      'https://docs.example.com/v2/guide/start.html',
      'https://docs.example.com/v2/guide/new%20page.html',
    ].sort(),
  );
  expect(run.stdout).toContain('apps/web/dist => https://www.example.com/: 3 files');
  expect(run.stdout).toContain(
    '  M  apps/web/dist/blog/index.html -> https://blog.example.com/index.html https://blog.example.com/',
  );
  expect(run.stdout).toContain('apps/web/dist/blog => https://blog.example.com/: 1 file');
  expect(run.stdout).toContain('apps/docs/dist => https://docs.example.com/v2/: 2 files');
  expect(run.stdout).toContain('outside every site: 2 files');
  expect(run.stdout).toContain('  M  packages/ui/button.ts: outside root-dir, skipped');
  expect(run.stdout).toContain('  A  apps/web/dist/app.js.map: excluded, skipped');
  expect(run.summary).toContain(
    '<li><code>apps/docs/dist =&#62; https://docs.example.com/v2/</code>: 2 changed files, 2 URLs</li>',
  );
});
