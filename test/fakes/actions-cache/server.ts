/**
 * A fake of the GitHub Actions cache service as @actions/cache 6 talks to it on a runner (docs/state.md#the-actions-cache):
 * the v2 Twirp service at ACTIONS_RESULTS_URL (ACTIONS_CACHE_SERVICE_V2 set, ACTIONS_RUNTIME_TOKEN as bearer), and
 * the blob storage its signed URLs point at: uploads as Azure Blob Storage takes them (Put Blob, or Put Block and
 * Put Block List), downloads by a plain GET. Entries are matched as the service does: the primary key exactly,
 * then each restore key exactly or as a prefix, the newest first, always of the same version.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  closeServer,
  createEmulatorServer,
  header,
  listenOnLoopback,
  readBody,
  sendJson,
} from '../shared/http.js';

const SERVICE = '/twirp/github.actions.results.api.v1.CacheService/';
export const FAKE_RUNTIME_TOKEN = 'fake-actions-runtime-token';

export interface CacheEntry {
  key: string;
  version: string;
  /** Set once the archive was uploaded and the entry finalized. */
  data: Buffer | undefined;
  /** Order of creation: a restore key matches the newest. */
  created: number;
}

export interface CacheCall {
  method: string;
  body: Record<string, unknown>;
}

export interface ActionsCacheFake {
  /** ACTIONS_RESULTS_URL, ending in `/`. */
  url: string;
  /** The environment a runner gives a step for this service. */
  env: Record<string, string>;
  entries: CacheEntry[];
  calls: CacheCall[];
  /** Refuse every reservation as the service refuses a key that exists (409 already_exists). */
  refuseReservations: boolean;
  close(): Promise<void>;
}

export async function startActionsCacheFake(): Promise<ActionsCacheFake> {
  const entries: CacheEntry[] = [];
  const calls: CacheCall[] = [];
  /** Uploads in progress, by blob id: the entry, and the blocks staged so far. */
  const uploads = new Map<
    string,
    { entry: CacheEntry; blocks: Map<string, Buffer>; blob: Buffer | undefined }
  >();
  const signature = randomBytes(8).toString('hex');
  let created = 0;
  let origin = '';

  const twirp = async (req: IncomingMessage, res: ServerResponse, method: string): Promise<void> => {
    if (header(req, 'authorization') !== `Bearer ${FAKE_RUNTIME_TOKEN}`)
      return twirpError(res, 401, 'unauthenticated', 'invalid or missing runtime token');
    if (!header(req, 'content-type')?.startsWith('application/json'))
      return twirpError(res, 415, 'bad_route', 'expected application/json');
    const body = JSON.parse((await readBody(req)).toString('utf8')) as Record<string, unknown>;
    calls.push({ method, body });
    const key = String(body.key ?? '');
    const version = String(body.version ?? '');
    if (key === '' || version === '')
      return twirpError(res, 400, 'invalid_argument', 'key and version are required');
    if (method === 'CreateCacheEntry') {
      if (fake.refuseReservations || entries.some((entry) => entry.key === key && entry.version === version))
        return twirpError(
          res,
          409,
          'already_exists',
          'cache entry with the same key, version, and scope already exists',
        );
      const entry: CacheEntry = { key, version, data: undefined, created: created++ };
      entries.push(entry);
      const id = randomBytes(6).toString('hex');
      uploads.set(id, { entry, blocks: new Map(), blob: undefined });
      return sendJson(res, 200, {
        ok: true,
        signed_upload_url: `${origin}/fakeaccount/actions-cache/${id}?sig=${signature}`,
      });
    }
    if (method === 'FinalizeCacheEntryUpload') {
      const upload = [...uploads.entries()].find(
        ([, u]) => u.entry.key === key && u.entry.version === version,
      );
      if (!upload?.[1].blob) return sendJson(res, 200, { ok: false, message: 'no upload to finalize' });
      const [id, { entry, blob }] = upload;
      if (String(blob.length) !== String(body.size_bytes))
        return sendJson(res, 200, {
          ok: false,
          message: `size_bytes ${String(body.size_bytes)} is not the ${blob.length} bytes uploaded`,
        });
      entry.data = blob;
      uploads.delete(id);
      return sendJson(res, 200, { ok: true, entry_id: String(entry.created + 1) });
    }
    if (method === 'GetCacheEntryDownloadURL') {
      const restoreKeys = Array.isArray(body.restore_keys) ? body.restore_keys.map(String) : [];
      const found = matchEntry(entries, key, restoreKeys, version);
      if (!found) return sendJson(res, 200, { ok: false });
      return sendJson(res, 200, {
        ok: true,
        signed_download_url: `${origin}/download/${encodeURIComponent(found.key)}/${found.version}?sig=${signature}`,
        matched_key: found.key,
      });
    }
    return twirpError(res, 404, 'bad_route', `no method ${method}`);
  };

  /** Azure Blob Storage's upload operations, on a signed URL. */
  const blob = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const id = url.pathname.split('/')[3] ?? '';
    const upload = uploads.get(id);
    if (req.method !== 'PUT' || url.searchParams.get('sig') !== signature || !upload)
      return blobError(res, 403, 'AuthenticationFailed');
    const body = await readBody(req);
    const comp = url.searchParams.get('comp');
    if (comp === 'block') {
      upload.blocks.set(url.searchParams.get('blockid') ?? '', body);
    } else if (comp === 'blocklist') {
      const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)</g)].map(
        (m) => m[1] ?? '',
      );
      const parts = ids.map((blockId) => upload.blocks.get(blockId));
      if (parts.some((part) => part === undefined)) return blobError(res, 400, 'InvalidBlockList');
      upload.blob = Buffer.concat(parts as Buffer[]);
    } else if (header(req, 'x-ms-blob-type') === 'BlockBlob') {
      upload.blob = body;
    } else return blobError(res, 400, 'MissingRequiredHeader');
    res.writeHead(201, {
      etag: `"0x${randomBytes(8).toString('hex').toUpperCase()}"`,
      'last-modified': new Date().toUTCString(),
      'x-ms-request-id': randomBytes(8).toString('hex'),
      'x-ms-version': header(req, 'x-ms-version') ?? '2025-01-05',
      'x-ms-request-server-encrypted': 'true',
      date: new Date().toUTCString(),
      'content-length': '0',
    });
    res.end();
  };

  const download = (res: ServerResponse, url: URL): void => {
    const [, , key = '', version = ''] = url.pathname.split('/');
    const entry = entries.find((e) => e.key === decodeURIComponent(key) && e.version === version && e.data);
    if (url.searchParams.get('sig') !== signature || !entry?.data) {
      blobError(res, 404, 'BlobNotFound');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': entry.data.length });
    res.end(entry.data);
  };

  const server: Server = createEmulatorServer('actions cache fake', async (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'POST' && url.pathname.startsWith(SERVICE))
      return twirp(req, res, url.pathname.slice(SERVICE.length));
    if (req.method === 'GET' && url.pathname.startsWith('/download/')) return download(res, url);
    if (url.pathname.startsWith('/fakeaccount/actions-cache/')) return blob(req, res, url);
    res.writeHead(404).end();
  });
  origin = await listenOnLoopback(server);
  const fake: ActionsCacheFake = {
    url: `${origin}/`,
    env: {
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: `${origin}/`,
      ACTIONS_RUNTIME_TOKEN: FAKE_RUNTIME_TOKEN,
    },
    entries,
    calls,
    refuseReservations: false,
    close: () => closeServer(server),
  };
  return fake;
}

/** The primary key exactly; else each restore key, exactly and then as a prefix, the newest entry first. */
function matchEntry(
  entries: readonly CacheEntry[],
  key: string,
  restoreKeys: readonly string[],
  version: string,
): CacheEntry | undefined {
  const ready = entries
    .filter((entry) => entry.version === version && entry.data)
    .sort((a, b) => b.created - a.created);
  const exact = ready.find((entry) => entry.key === key);
  if (exact) return exact;
  for (const restoreKey of restoreKeys) {
    const found =
      ready.find((entry) => entry.key === restoreKey) ??
      ready.find((entry) => entry.key.startsWith(restoreKey));
    if (found) return found;
  }
  return undefined;
}

function twirpError(res: ServerResponse, status: number, code: string, msg: string): void {
  sendJson(res, status, { code, msg });
}

function blobError(res: ServerResponse, status: number, code: string): void {
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`;
  res.writeHead(status, {
    'content-type': 'application/xml',
    'x-ms-error-code': code,
    'content-length': Buffer.byteLength(xml),
  });
  res.end(xml);
}
