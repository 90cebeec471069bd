/**
 * What a strategy of your own imports (docs/strategies.md): the base class, the types its callbacks
 * see, and the helpers the built-ins use. From a module in the `strategies/` folder:
 * `import { Strategy, type Bar, type StrategyContext } from '../src/strategies/api.js';`
 */
export { Strategy } from './Strategy.js';
export type { OrderOptions, OrderReason, OrderRejection, StrategyContext, StrategyFill } from './StrategyContext.js';
export type { Bar } from '../core/Bar.js';
export type { OrderIntent, OrderSide, OrderType, Trail } from '../core/Order.js';
export { checkSizing, sharesFor, sizingShape, type Sizing } from './sizing.js';
export { checkProtectiveExits, protectiveExitOptions, protectiveExitsShape, type ProtectiveExitParams } from './protectiveExits.js';
export { ExactSMA } from './indicators/ExactSMA.js';
export { Ema } from './indicators/Ema.js';
export { WilderRSI } from './indicators/WilderRSI.js';
export { RollingWindow } from './indicators/RollingWindow.js';
