import type { OrderIntent, OrderRequest } from '../core/Order.js';
import type { ExecutionService } from '../execution/ExecutionService.js';
import type { RiskRule } from './RiskRule.js';
import type { RiskRuleName } from './RiskRuleName.js';
import type { RiskView } from './RiskView.js';
import { onTickGrid } from './onTickGrid.js';

export type RiskDecision =
  | { readonly allowed: true; readonly request: OrderRequest }
  | { readonly allowed: false; readonly rule: RiskRuleName; readonly reason: string };

/**
 * The only way to a broker: it runs every rule on an intent, in order, and hands the intent to the
 * ExecutionService only when all pass. Nothing else holds the ExecutionService.
 */
export class RiskGate {
  readonly #rules: readonly RiskRule[];
  /** The rules that hear what is let through (most do not). */
  readonly #counting: readonly RiskRule[];
  readonly #execution: ExecutionService;
  readonly #allowed: (strategyId: string, time: number) => void;

  /** `allowed` hears every order let through, before it is sent (the circuit breakers count them). */
  constructor(rules: readonly RiskRule[], execution: ExecutionService, allowed: (strategyId: string, time: number) => void = () => {}) {
    this.#rules = rules;
    this.#counting = rules.filter((r) => r.allowed !== undefined);
    this.#execution = execution;
    this.#allowed = allowed;
  }

  /** Whether a rule reads `RiskView.priceCeiling` (the runners' daily highs). */
  get readsPriceCeiling(): boolean {
    return this.#rules.some((r) => r.readsPriceCeiling === true);
  }

  get ruleNames(): RiskRuleName[] {
    return this.#rules.map((r) => r.name);
  }

  submit(asked: OrderIntent, view: RiskView): RiskDecision {
    // Prices go on Alpaca's grid first (the safe way), so the rules judge what will be sent.
    const intent = onTickGrid(asked);
    for (const rule of this.#rules) {
      const reason = rule.check(intent, view);
      if (reason !== null) return { allowed: false, rule: rule.name, reason };
    }
    for (const rule of this.#counting) rule.allowed!(intent, view);
    this.#allowed(view.strategyId, view.now);
    return { allowed: true, request: this.#execution.send(view.strategyId, intent) };
  }
}
