/**
 * An error a check or an action refuses a request with. Thrown by the checks and caught by the request pipeline,
 * which answers it as the service answers its errors (Tencent: HTTP 200 with `Response.Error`).
 */
export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
