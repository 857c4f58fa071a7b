// Per-request behaviour rules: newest first, optionally expiring after `times` uses.
import type { RuleHandle, RuleMatch } from './types';

export interface RequestFacts {
  model: string | undefined;
  key: string | undefined;
  path: string;
}

class Rule<B> implements RuleHandle {
  hits = 0;
  active = true;

  constructor(
    readonly match: RuleMatch,
    readonly behaviour: B,
    private readonly times: number | undefined,
    private readonly book: RuleBook<B>,
  ) {}

  matches(facts: RequestFacts): boolean {
    const { model, key, path } = this.match;
    if (model !== undefined && model !== facts.model) return false;
    if (key !== undefined && key !== facts.key) return false;
    if (path !== undefined && path !== facts.path && `/v1${path}` !== facts.path) return false;
    return true;
  }

  /** Counts one use and expires the rule once its `times` are spent. */
  use(): void {
    this.hits += 1;
    if (this.times !== undefined && this.hits >= this.times) this.remove();
  }

  remove(): void {
    if (!this.active) return;
    this.active = false;
    this.book.forget(this);
  }
}

/** Rules answering with behaviours of type `B`. */
export class RuleBook<B> {
  private rules: Rule<B>[] = [];

  get isEmpty(): boolean {
    return this.rules.length === 0;
  }

  add(match: RuleMatch, behaviour: B, times?: number): RuleHandle {
    if (times !== undefined && (!Number.isInteger(times) || times < 1)) {
      throw new RangeError(`times must be a positive integer, got ${times}`);
    }
    const rule = new Rule(match, behaviour, times, this);
    this.rules.push(rule);
    return rule;
  }

  /** The behaviour of the newest rule that matches, counting the use. */
  take(facts: RequestFacts): B | undefined {
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const rule = this.rules[i]!;
      if (rule.matches(facts)) {
        rule.use();
        return rule.behaviour;
      }
    }
    return undefined;
  }

  clear(): void {
    for (const rule of this.rules) rule.active = false;
    this.rules = [];
  }

  forget(rule: Rule<B>): void {
    this.rules = this.rules.filter((candidate) => candidate !== rule);
  }
}
