/**
 * At most `limit` requests per key (the action) in any 1 s window. Only admitted requests are counted: a client
 * that is refused and waits gets through as soon as the window has room again.
 */
export class SlidingWindowLimiter {
  private readonly admitted = new Map<string, number[]>();

  constructor(private readonly limit: number | undefined) {}

  tryAdmit(key: string, nowMs: number): boolean {
    if (this.limit === undefined) return true;
    const recent = (this.admitted.get(key) ?? []).filter((at) => nowMs - at < 1000);
    const admit = recent.length < this.limit;
    if (admit) recent.push(nowMs);
    this.admitted.set(key, recent);
    return admit;
  }
}
