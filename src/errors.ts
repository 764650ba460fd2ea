import { quote } from './text.js';

/** A bad input: names the input, the value given and what is accepted. Thrown before any request is sent. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly input: string,
    readonly value: string,
    readonly accepted: string,
  ) {
    super(`Input '${input}' has the value ${quote(value)}: ${accepted}`);
  }
}
