const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/**
 * Targets per day, per kind and per scope (a CDN region, an EdgeOne zone, an account), as the provider counts
 * them: a new day starts at midnight Beijing time (UTC+8). A request takes from every scope it covers, all or
 * nothing.
 */
export class DailyQuotaBook<Kind extends string> {
  private day = '';
  private used = new Map<string, number>();

  constructor(
    private readonly totals: Readonly<Record<Kind, number>>,
    private readonly now: () => number,
  ) {}

  total(kind: Kind): number {
    return this.totals[kind];
  }

  available(kind: Kind, scope: string): number {
    this.rollOver();
    return Math.max(0, this.totals[kind] - (this.used.get(`${kind}/${scope}`) ?? 0));
  }

  /** Takes `count` from each of `scopes` if every one has that much left; otherwise takes nothing. */
  tryConsume(kind: Kind, scopes: readonly string[], count: number): boolean {
    return this.tryConsumeEach(kind, new Map(scopes.map((scope) => [scope, count])));
  }

  /** Takes each scope's own count if every one has that much left; otherwise takes nothing. */
  tryConsumeEach(kind: Kind, counts: ReadonlyMap<string, number>): boolean {
    if ([...counts].some(([scope, count]) => this.available(kind, scope) < count)) return false;
    for (const [scope, count] of counts) this.spend(kind, scope, count);
    return true;
  }

  /** Takes `count` whatever is left (down to none): what another job spent today. */
  spend(kind: Kind, scope: string, count: number): void {
    this.rollOver();
    const key = `${kind}/${scope}`;
    this.used.set(key, Math.min(this.totals[kind], (this.used.get(key) ?? 0) + count));
  }

  private rollOver(): void {
    const today = new Date(this.now() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
    if (today !== this.day) {
      this.day = today;
      this.used = new Map();
    }
  }
}
