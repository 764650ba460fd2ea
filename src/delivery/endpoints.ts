import type { ProviderDefinition } from '../providers/provider.js';
import type { Log, Settings } from '../settings.js';

/**
 * Says in the log where an `endpoint` or `sts-endpoint` override sends the signed requests and the job's OIDC
 * token, so that the log always shows where credentials went.
 */
export function logEndpointOverrides(settings: Settings, provider: ProviderDefinition, log: Log): void {
  if (settings.endpoint) {
    log.info(
      `endpoint: sending the signed ${provider.label} requests to ${settings.endpoint.host} (the endpoint input overrides the provider's own host).`,
    );
  }
  const sts = settings.oidc?.stsEndpoint;
  if (sts) {
    log.info(
      `sts-endpoint: sending the job's OIDC token to ${sts.host} (the sts-endpoint input overrides the provider's STS host).`,
    );
  }
}
