import type { OrderIntent, OrderRequest } from '../core/Order.js';
import type { ExecutionService } from '../execution/ExecutionService.js';
import type { RiskRule } from './RiskRule.js';
import type { RiskRuleName } from './RiskRuleName.js';
import type { RiskView } from './RiskView.js';

export type RiskDecision =
  | { readonly allowed: true; readonly request: OrderRequest }
  | { readonly allowed: false; readonly rule: RiskRuleName; readonly reason: string };

/**
 * The only way to a broker: it runs every rule on an intent, in order, and hands the intent to the
 * ExecutionService only when all pass. Nothing else holds the ExecutionService.
 */
export class RiskGate {
  readonly #rules: readonly RiskRule[];
  readonly #execution: ExecutionService;

  constructor(rules: readonly RiskRule[], execution: ExecutionService) {
    this.#rules = rules;
    this.#execution = execution;
  }

  get ruleNames(): RiskRuleName[] {
    return this.#rules.map((r) => r.name);
  }

  submit(intent: OrderIntent, view: RiskView): RiskDecision {
    for (const rule of this.#rules) {
      const reason = rule.check(intent, view);
      if (reason !== null) return { allowed: false, rule: rule.name, reason };
    }
    return { allowed: true, request: this.#execution.send(view.strategyId, intent) };
  }
}
