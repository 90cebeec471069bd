/** Every rule of the RiskGate, by the stable name that denials, logs and the state file carry. */
export const RiskRuleName = {
  ValidIntent: 'valid_intent',
  MarketHours: 'market_hours',
  VenueReady: 'venue_ready',
  StrategyPaused: 'strategy_paused',
  CircuitBreaker: 'circuit_breaker',
  NoShort: 'no_short',
  MaxPosition: 'max_position',
  MaxOrderValue: 'max_order_value',
  StrategyCash: 'strategy_cash',
  AccountBuyingPower: 'account_buying_power',
  WashTrade: 'wash_trade',
} as const;
export type RiskRuleName = (typeof RiskRuleName)[keyof typeof RiskRuleName];
