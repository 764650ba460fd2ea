/**
 * Puts requests (or tasks) in the order the action planned them, by the position of their first target in
 * `targets`. Concurrent requests reach an emulator in any order; the action's outputs follow the plan.
 */
export function inPlanOrder<T>(
  items: readonly T[],
  firstTarget: (item: T) => string | undefined,
  targets: readonly string[],
): T[] {
  const position = new Map(targets.map((target, index) => [target, index]));
  const at = (item: T): number => position.get(firstTarget(item) ?? '') ?? Number.MAX_SAFE_INTEGER;
  return [...items].sort((a, b) => at(a) - at(b));
}
