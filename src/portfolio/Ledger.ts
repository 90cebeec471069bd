import type { Fill } from '../core/Fill.js';
import type { Position } from '../core/Position.js';
import { InvariantError } from '../core/errors.js';
import { SymbolSlots } from '../core/SymbolSlots.js';
import type { ClosedTrade } from './ClosedTrade.js';
import { removeAt } from '../core/removeItem.js';

export interface OpenLot {
  /** Last price seen for the symbol: marks the position to market. */
  mark: number;
  readonly direction: 'long' | 'short';
  qty: number;
  avgPrice: number;
  entryTime: number;
  maxQty: number;
  /** Sums for volume-weighted entry/exit prices of the round trip. */
  entryValue: number;
  entryQty: number;
  exitValue: number;
  exitQty: number;
  grossPnl: number;
  /** Every commission of the round trip so far. */
  commission: number;
  /** Entry commissions not yet charged to realised P&L (charged pro rata as the position closes). */
  pendingEntryCommission: number;
}

/** The books of one strategy after a fill. */
export interface FillBooking {
  readonly realizedPnl: number;
  readonly closedTrade: ClosedTrade | null;
}

/** Everything a ledger holds, for the state file (restored exactly). */
export interface LedgerData {
  /** The capital the strategy had when saved (a restart with another allocation moves the difference as cash). */
  readonly capital: number;
  readonly cash: number;
  readonly realized: number;
  readonly commissions: number;
  readonly lots: ReadonlyArray<OpenLot & { readonly symbol: string }>;
  readonly trades: readonly ClosedTrade[];
}

export interface LedgerState {
  readonly startingCash: number;
  readonly cash: number;
  readonly realizedPnl: number;
  readonly commissions: number;
  readonly positions: ReadonlyArray<Position & { readonly marketPrice: number | null; readonly unrealizedPnl: number }>;
}

/**
 * One strategy's books: its own cash, positions (average-cost method), realised P&L, commissions and
 * closed round trips. A fill is the only thing that moves cash or positions; marks move unrealised P&L.
 * Cash below zero after a fill is a broken invariant (the RiskGate should have stopped the order).
 */
export class Ledger {
  readonly startingCash: number;
  #cash: number;
  #realized = 0;
  #commissions = 0;
  readonly #lots = new Map<string, OpenLot>();
  /** The same lots as an array, in the Map's order: equity is read every bar and arrays iterate without allocating. */
  readonly #lotList: OpenLot[] = [];
  /** The slot of each lot of `#lotList`. */
  readonly #lotSlots: number[] = [];
  /**
   * By symbol slot, for the per-bar calls of the strategy's runner: the shares held (0: flat) and the
   * last price (a held symbol's mark; the lots' `mark` fields are brought up to date when read).
   * Typed arrays: a bar reads and writes no object.
   */
  #qtyAt = new Float64Array(0);
  #markAt = new Float64Array(0);
  readonly #slots: SymbolSlots;
  readonly #trades: ClosedTrade[] = [];

  /** `slots`: the numbering of symbols shared with the strategy's runner (`markAt`, `positionQtyAt`). */
  constructor(startingCash: number, slots = new SymbolSlots()) {
    if (!(Number.isFinite(startingCash) && startingCash >= 0)) throw new InvariantError(`starting cash must be finite and ≥ 0, got ${startingCash}`);
    this.startingCash = startingCash;
    this.#cash = startingCash;
    this.#slots = slots;
    this.#qtyAt = new Float64Array(slots.size);
    this.#markAt = new Float64Array(slots.size);
  }

  get cash(): number {
    return this.#cash;
  }

  get realizedPnl(): number {
    return this.#realized;
  }

  get commissions(): number {
    return this.#commissions;
  }

  get closedTrades(): readonly ClosedTrade[] {
    return this.#trades;
  }

  /** Whether any position is open (the strategy is exposed to the market). */
  hasPositions(): boolean {
    return this.#lots.size > 0;
  }

  positionQty(symbol: string): number {
    return this.#lots.get(symbol)?.qty ?? 0;
  }

  /** `positionQty` of the symbol in `slot`. */
  positionQtyAt(slot: number): number {
    return slot < this.#qtyAt.length ? this.#qtyAt[slot]! : 0;
  }

  positions(): Position[] {
    return [...this.#lots.entries()]
      .map(([symbol, l]) => ({ symbol, qty: l.qty, avgPrice: l.avgPrice }))
      .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }

  /** Records the latest price of `symbol` for unrealised P&L and equity. */
  mark(symbol: string, price: number): void {
    // Only held symbols need a mark; a new position starts marked at its fill price.
    if (this.#lots.size === 0) return;
    if (this.#lots.has(symbol)) this.#markAt[this.#slots.slot(symbol)] = price;
  }

  /**
   * `mark` of the symbol in `slot`. Written whether it is held or not: a position opens marked at
   * its fill price, so a flat symbol's mark is never read.
   */
  markAt(slot: number, price: number): void {
    if (slot < this.#markAt.length) this.#markAt[slot] = price;
  }

  markPrice(symbol: string): number | undefined {
    return this.#lots.has(symbol) ? this.#markAt[this.#slots.slot(symbol)] : undefined;
  }

  /** Market value of the positions at their last marks (entry price where none yet). */
  positionsValue(): number {
    let v = 0;
    const lots = this.#lotList;
    const slots = this.#lotSlots;
    const marks = this.#markAt;
    for (let i = 0; i < lots.length; i++) v += lots[i]!.qty * marks[slots[i]!]!;
    return v;
  }

  equity(): number {
    return this.#lots.size === 0 ? this.#cash : this.#cash + this.positionsValue();
  }

  unrealizedPnl(): number {
    this.#syncMarks();
    let u = 0;
    for (const l of this.#lots.values()) u += l.qty * (l.mark - l.avgPrice);
    return u;
  }

  /** The lots' `mark` fields as the marks by slot have them. */
  #syncMarks(): void {
    const lots = this.#lotList;
    for (let i = 0; i < lots.length; i++) lots[i]!.mark = this.#markAt[this.#lotSlots[i]!]!;
  }

  applyFill(fill: Fill): FillBooking {
    if (!(fill.qty > 0 && Number.isFinite(fill.qty) && fill.price > 0 && Number.isFinite(fill.price) && fill.commission >= 0)) {
      throw new InvariantError(`invalid fill ${fill.executionId}: qty ${fill.qty} @ ${fill.price}, commission ${fill.commission}`);
    }
    const signed = fill.side === 'buy' ? fill.qty : -fill.qty;
    this.#cash -= signed * fill.price + fill.commission;
    this.#commissions += fill.commission;

    const k = this.#slotOf(fill.symbol);
    // Held or not, the symbol's mark is this fill's price now.
    this.#markAt[k] = fill.price;
    let lot = this.#lots.get(fill.symbol);
    let realized = 0;
    let closed: ClosedTrade | null = null;
    let remaining = signed;
    let commission = fill.commission;

    if (lot !== undefined && Math.sign(lot.qty) !== Math.sign(signed)) {
      // Reducing (or flipping) the position realises P&L on the part that closes.
      const closing = Math.min(Math.abs(signed), Math.abs(lot.qty));
      const share = closing / fill.qty;
      const closingCommission = commission * share;
      const pnl = closing * (fill.price - lot.avgPrice) * Math.sign(lot.qty);
      const entryShare = lot.pendingEntryCommission * (closing / Math.abs(lot.qty));
      lot.pendingEntryCommission -= entryShare;
      realized = pnl - closingCommission - entryShare;
      lot.grossPnl += pnl;
      lot.commission += closingCommission;
      lot.exitValue += closing * fill.price;
      lot.exitQty += closing;
      lot.qty += Math.sign(signed) * closing;
      remaining = signed - Math.sign(signed) * closing;
      commission -= closingCommission;
      if (lot.qty === 0) {
        closed = {
          symbol: fill.symbol,
          direction: lot.direction,
          qty: lot.maxQty,
          entryTime: lot.entryTime,
          exitTime: fill.time,
          entryPrice: lot.entryValue / lot.entryQty,
          exitPrice: lot.exitValue / lot.exitQty,
          grossPnl: lot.grossPnl,
          commission: lot.commission,
          netPnl: lot.grossPnl - lot.commission,
        };
        this.#trades.push(closed);
        this.#dropLot(fill.symbol, lot);
        this.#qtyAt[k] = 0;
        lot = undefined;
      }
    }

    if (remaining !== 0) {
      // Opening or adding: the average price moves; the entry commission is charged to realised P&L
      // when the position closes, so a round trip's realised P&L equals its net P&L.
      const abs = Math.abs(remaining);
      if (lot === undefined) {
        lot = {
          mark: fill.price,
          direction: remaining > 0 ? 'long' : 'short',
          qty: 0,
          avgPrice: 0,
          entryTime: fill.time,
          maxQty: 0,
          entryValue: 0,
          entryQty: 0,
          exitValue: 0,
          exitQty: 0,
          grossPnl: 0,
          commission: 0,
          pendingEntryCommission: 0,
        };
        this.#addLot(fill.symbol, lot, k);
      }
      const newQty = lot.qty + remaining;
      lot.avgPrice = (Math.abs(lot.qty) * lot.avgPrice + abs * fill.price) / Math.abs(newQty);
      lot.qty = newQty;
      lot.maxQty = Math.max(lot.maxQty, Math.abs(newQty));
      lot.entryValue += abs * fill.price;
      lot.entryQty += abs;
      lot.commission += commission;
      lot.pendingEntryCommission += commission;
      this.#qtyAt[k] = lot.qty;
    } else if (lot !== undefined) this.#qtyAt[k] = lot.qty;

    this.#realized += realized;
    // A market buy can cost more than the cash checked before it was sent (a gap up at the open).
    // The fill happened: it is booked as it is, and the runner reports the overdraft.
    return { realizedPnl: realized, closedTrade: closed };
  }

  /** The slot of `symbol`, the arrays by slot long enough for it. */
  #slotOf(symbol: string): number {
    const k = this.#slots.slot(symbol);
    if (k >= this.#qtyAt.length) {
      const size = Math.max(k + 1, this.#slots.size, this.#qtyAt.length * 2);
      const qty = new Float64Array(size);
      qty.set(this.#qtyAt);
      this.#qtyAt = qty;
      const mark = new Float64Array(size);
      mark.set(this.#markAt);
      this.#markAt = mark;
    }
    return k;
  }

  /** A new position (the symbol is flat): last in the Map and in the list, as Map iteration has it. */
  #addLot(symbol: string, lot: OpenLot, slot: number): void {
    this.#lots.set(symbol, lot);
    this.#lotList.push(lot);
    this.#lotSlots.push(slot);
  }

  #dropLot(symbol: string, lot: OpenLot): void {
    this.#lots.delete(symbol);
    const i = this.#lotList.indexOf(lot);
    removeAt(this.#lotList, i);
    removeAt(this.#lotSlots, i);
  }

  toData(): LedgerData {
    this.#syncMarks();
    return {
      capital: this.startingCash,
      cash: this.#cash,
      realized: this.#realized,
      commissions: this.#commissions,
      lots: [...this.#lots].map(([symbol, lot]) => ({ symbol, ...lot })),
      trades: [...this.#trades],
    };
  }

  /** Puts the books back as `toData` saw them (a restore after a restart). */
  restore(d: LedgerData): void {
    this.#cash = d.cash;
    this.#realized = d.realized;
    this.#commissions = d.commissions;
    this.#lots.clear();
    this.#lotList.length = 0;
    this.#lotSlots.length = 0;
    this.#qtyAt.fill(0);
    for (const { symbol, ...lot } of d.lots) {
      const k = this.#slotOf(symbol);
      this.#addLot(symbol, { ...lot }, k);
      this.#qtyAt[k] = lot.qty;
      this.#markAt[k] = lot.mark;
    }
    this.#trades.length = 0;
    this.#trades.push(...d.trades);
  }

  /** Calls `f` with each open position and its mark (null when it has none yet), in no set order. */
  forEachPosition(f: (symbol: string, qty: number, avgPrice: number, mark: number | null) => void): void {
    const lots = this.#lotList;
    const slots = this.#lotSlots;
    const marks = this.#markAt;
    for (let i = 0; i < lots.length; i++) {
      const slot = slots[i]!;
      const lot = lots[i]!;
      f(this.#slots.symbolAt(slot), lot.qty, lot.avgPrice, slot < marks.length ? marks[slot]! : null);
    }
  }

  /** The books as the state file shows them: positions in symbol order, each with its mark and unrealised P&L. */
  toState(): LedgerState {
    const positions: Array<LedgerState['positions'][number]> = [];
    this.forEachPosition((symbol, qty, avgPrice, mark) => {
      positions.push({ symbol, qty, avgPrice, marketPrice: mark, unrealizedPnl: mark === null ? 0 : qty * (mark - avgPrice) });
    });
    positions.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
    return { startingCash: this.startingCash, cash: this.#cash, realizedPnl: this.#realized, commissions: this.#commissions, positions };
  }
}
