/** How a provider sends a request: the one HTTP call the delivery stage gives every adapter and STS client. */

export interface HttpRequest {
  url: URL;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  body: string;
}

/** POSTs the request; throws a `TransportError` when no HTTP response came back. */
export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;
