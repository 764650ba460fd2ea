/** Checks of the numeric options the fakes take; a bad one is a RangeError when the fake starts. */

export function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a number ≥ 0, got ${value}`);
  return value;
}

export function positive(name: string, value: number): number {
  if (!(value > 0)) throw new RangeError(`${name} must be positive, got ${value}`);
  return value;
}

export function notEmpty<T>(name: string, values: readonly T[]): readonly T[] {
  if (values.length === 0) throw new RangeError(`${name} must not be empty`);
  return values;
}
