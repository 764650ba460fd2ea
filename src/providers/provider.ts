/**
 * The interface every provider implements: everything provider-specific (its APIs and limits, its own inputs, its
 * credential variables, its keyless rules and STS, its endpoints) is behind it. Nothing outside src/providers/
 * compares a provider's name.
 */
import type { ReadInput } from '../inputs/values.js';
import type {
  Area,
  Credentials,
  Mode,
  OperationKind,
  ProviderSettings,
  Settings,
  Site,
} from '../settings.js';
import type { HttpSend } from './transport.js';

/** One provider API that carries out an operation kind, with its documented limits. */
export interface ApiSpec {
  /** The provider's action name, e.g. `PurgeUrlsCache`. */
  action: string;
  /** Most targets one request may carry. */
  batchSize: number;
  /** Most requests per second the API accepts. */
  ratePerSecond: number;
}

/** A target the provider refused although the call itself succeeded, or that could not be submitted. */
export interface TargetFailure {
  url: string;
  code: string;
  message: string;
}

export interface BatchAccepted {
  taskIds: string[];
  requestId: string | undefined;
  /** Targets of the batch the provider refused; every other target of the batch counts as accepted. */
  refused: TargetFailure[];
}

/** Submits one batch; throws an `ApiError` whose disposition tells the delivery engine what to do next. */
export type Submit = (kind: OperationKind, targets: readonly string[]) => Promise<BatchAccepted>;

export interface ProviderContext {
  settings: Settings;
  /** The credentials to sign the next request with: static keys, or temporary ones renewed before they expire. */
  credentials: () => Promise<Credentials>;
  send: HttpSend;
  /** Unix time in milliseconds. */
  now: () => number;
  timeoutMs: number;
}

/** Today's quota of one operation, as the provider's quota API reports it. */
export interface Quota {
  /** Most targets one request may carry. */
  batchSize: number;
  /** Targets that may still be submitted today. */
  available: number;
  /** The daily total. */
  total: number;
  /** Which quota this is, for messages ("mainland"). */
  scope: string;
  /** Why this quota is the one that will be charged, for messages ("read from DescribeDomains"). */
  basis?: string;
  /** What the user can do about a shortfall of this quota ("set `area: mainland` …"). */
  hint?: string;
  /** Said once in the log when the quota is read: why it may not be the one charged (a read that was refused). */
  notice?: string;
  /** When the quota starts afresh, for messages ("at midnight Beijing time (UTC+8), 16:00 UTC"). */
  resets?: string;
  /** Targets of `available` kept for later purges that day (`quota-reserve`); set by the plan. */
  reserved?: number;
}

/** The state of one submitted task; `running` until the provider reports every target final. */
export interface TaskReport {
  state: 'running' | 'done' | 'failed';
  /** Targets the provider reports as failed. */
  failedTargets: string[];
  /** The targets the status API lists for the task, where one request can create several tasks (Alibaba). */
  targets?: string[];
}

/** What a provider can do once it has credentials. Every method throws an `ApiError` on failure. */
export interface ProviderConnection {
  submit: Submit;
  /**
   * The quota of each kind that has one, as it will be charged for `targets` (the plan's URLs and directories,
   * whose domains may decide the area); kinds without a quota API are left out.
   */
  readQuotas(
    kinds: readonly OperationKind[],
    targets: readonly string[],
  ): Promise<Partial<Record<OperationKind, Quota>>>;
  /**
   * The states of several tasks of one kind, read with as few requests as the status API allows (a list over the
   * tasks' time range, or several IDs a request); `paced` is awaited before each request. Every task asked for is
   * in the answer: one the API does not list yet is `running`.
   */
  describeTasks(
    kind: OperationKind,
    taskIds: readonly string[],
    paced: () => Promise<void>,
  ): Promise<ReadonlyMap<string, TaskReport>>;
}

/** The environment variables credentials fall back to, as the provider's own tools export them. */
export interface CredentialVariables {
  id: string;
  key: string;
  token: string;
}

/** What the provider's own inputs are read against. */
export interface ProviderInputContext {
  mode: Mode;
  /** URLs or directories are given explicitly. */
  hasUrlsOrPaths: boolean;
  /** `changed-files: true`: URLs follow from the deploy commit. */
  changedFiles: boolean;
}

/** Temporary credentials from an STS: an id, a secret and a session token that expire together. */
export interface TemporaryCredentials {
  /** Tencent TmpSecretId, Alibaba AccessKeyId (STS.…). */
  id: string;
  /** Tencent TmpSecretKey, Alibaba AccessKeySecret. */
  secret: string;
  /** Tencent Token (sent as X-TC-Token), Alibaba SecurityToken (sent as x-acs-security-token). */
  token: string;
  /** Unix ms */
  expiresAt: number;
}

/** What both STS exchanges take besides the identity: the role, the session, and how to send. */
export interface AssumeRoleRequest {
  /** The STS origin; the request goes to its root. */
  endpoint: URL;
  roleArn: string;
  roleSessionName: string;
  durationSeconds: number;
  send: HttpSend;
  /** Unix time in milliseconds, for the request's timestamp. */
  now: () => number;
  timeoutMs: number;
}

/** Keyless credentials: the formats of the role and identity provider, and the exchange at the cloud's STS. */
export interface KeylessRules {
  role: RegExp;
  roleExample: string;
  identityProvider: RegExp;
  /** What `oidc-provider` takes, in words. */
  identityProviderAccepted: string;
  /** The default audience of the job's OIDC token. */
  audience: string;
  stsEndpoint(site: Site): URL;
  /** The hosts `sts-endpoint` may name (besides loopback), as `hostPattern`s: `sts.<region>.aliyuncs.com`. */
  stsHosts: readonly string[];
  /** Exchanges the job's OIDC token for temporary credentials; throws an `StsError`. */
  assumeRole(
    request: AssumeRoleRequest,
    identity: { provider: string; token: string },
  ): Promise<TemporaryCredentials>;
}

/** One provider behind the interface the rest of the action uses. `Options`: what its own inputs configure. */
export interface ProviderDefinition<Options = unknown> {
  /** The `provider` input's value. */
  id: string;
  /** For people: "Tencent Cloud CDN". */
  label: string;
  apis: Partial<Record<OperationKind, ApiSpec>>;
  /**
   * The task status API of each kind (its `batchSize`: what one request reads, rows of a list or task IDs); a task of
   * a kind without one is final once accepted.
   */
  statusApis: Partial<Record<OperationKind, ApiSpec>>;
  /**
   * The documented default daily quota of each kind that has one: what a dry run, which has no credentials to read
   * today's, assumes. Kinds whose default depends on the plan are left out.
   */
  defaultQuotas: Partial<Record<OperationKind, number>>;
  /** Inputs that not every provider takes, among them those this one does; any other provider refuses them. */
  ownInputs: readonly string[];
  /** The provider's own words for an `area` value (Alibaba `domestic` for `mainland`), accepted as aliases. */
  areaAliases?: Readonly<Record<string, Area>>;
  /** What to use instead of a wildcard in a URL, in the provider's words (its prefix or regex purge), if any. */
  wildcardFix?: string;
  /** The values its prefetch takes for `layer`. */
  layers: readonly string[];
  /** The hosts `endpoint` may name (besides loopback), as `hostPattern`s: `*.tencentcloudapi.com`. */
  apiHosts: readonly string[];
  credentialVariables: CredentialVariables;
  keyless: KeylessRules;
  /** Reads and checks the provider's own inputs; throws an `InputError`. */
  readInputs(read: ReadInput, context: ProviderInputContext): ProviderSettings<Options>;
  /** The body of one request of `kind` with `targets`: what a dry run shows of each request's options. */
  requestBody?(
    settings: Settings,
    options: Options,
    kind: OperationKind,
    targets: readonly string[],
  ): Record<string, unknown>;
  /** Called only when requests are to be sent (never in a dry run), with what `readInputs` returned. */
  connect(context: ProviderContext, options: Options): ProviderConnection;
}

/** True when `apis`, a provider's table of APIs, has one for `kind`. */
export function hasKind<K extends OperationKind>(apis: Record<K, ApiSpec>, kind: OperationKind): kind is K {
  return kind in apis;
}

/** `kind`, narrowed to the operations `apis` carries out; any other is a bug in the plan, not bad input. */
export function kindIn<K extends OperationKind>(
  apis: Record<K, ApiSpec>,
  kind: OperationKind,
  provider: string,
): K {
  if (hasKind(apis, kind)) return kind;
  throw new Error(`${provider} has no ${kind}`);
}
