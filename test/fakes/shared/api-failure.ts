/**
 * A business error answered in the API 3.0 envelope (`{"Response":{"Error":{Code,Message},RequestId}}`), with
 * HTTP 200 as Tencent sends them. Thrown by the checks and caught by the request pipeline.
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

/** `InvalidParameter.CdnParamError` naming the parameter at fault. */
export function paramError(parameter: string, problem: string): ApiFailure {
  return new ApiFailure('InvalidParameter.CdnParamError', `${parameter}: ${problem}`);
}

/** EdgeOne's `InvalidParameter.ParameterError` naming the parameter at fault. */
export function teoParamError(parameter: string, problem: string): ApiFailure {
  return new ApiFailure('InvalidParameter.ParameterError', `${parameter}: ${problem}`);
}
