/** The error a test expects: of one class, else the test fails. */

type ErrorClass<E extends Error> = new (...args: never[]) => E;

/** The `type` error that `run` throws; another error is rethrown, and no error at all fails the test. */
export function thrownBy<E extends Error>(type: ErrorClass<E>, run: () => unknown): E {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected ${type.name}`);
}

/** The `type` error that `promise` rejects with; another error is rethrown, and fulfilment fails the test. */
export async function rejectionOf<E extends Error>(
  type: ErrorClass<E>,
  promise: Promise<unknown>,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected ${type.name}`);
}
