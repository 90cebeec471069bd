import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../src/core/Order.js';
import { OrderJournal, requestOfJournalEntry } from '../../src/persistence/OrderJournal.js';

const entry = (seq: number): OrderRequest => ({ clientOrderId: `s1-run-${seq}`, strategyId: 's1', symbol: 'AAPL', side: 'buy', qty: seq, type: 'market', timeInForce: 'day' });

describe('OrderJournal', () => {
  it('records orders before they are sent, reads them back after a crash, and is emptied by a state file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'journal-')), 'state', 'orders_journal.jsonl');
    const journal = new OrderJournal(file);
    expect(journal.read(() => {})).toEqual([]);
    journal.record(entry(1));
    journal.record(entry(2));
    // No close: what a kill -9 leaves behind is on disk already.
    expect(new OrderJournal(file).read(() => {})).toEqual([entry(1), entry(2)]);
    journal.clear();
    expect(readFileSync(file, 'utf8')).toBe('');
    journal.record(entry(3));
    expect(new OrderJournal(file).read(() => {})).toEqual([entry(3)]);
    journal.close();
  });

  it('skips a line cut short by a crash or not an order, naming the line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'journal-')), 'orders_journal.jsonl');
    const journal = new OrderJournal(file);
    journal.record(entry(1));
    journal.close();
    appendFileSync(file, '{"clientOrderId":"s1-run-2","strategyId":"s1","symbol":"AAPL","side":"buy","qty":-1}\n{"clientOrderId":"s1-ru');
    const warnings: string[] = [];
    expect(new OrderJournal(file).read((w) => warnings.push(w))).toEqual([entry(1)]);
    expect(warnings).toEqual([`${file} line 2: qty Too small: expected number to be >0`, `${file} line 3: not JSON (cut short by a crash?)`]);
  });

  it('keeps an entry’s protective exits, and still reads the five-field lines of state version 2', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'journal-')), 'orders_journal.jsonl');
    const journal = new OrderJournal(file);
    const bracketed: OrderRequest = { ...entry(1), type: 'limit', limitPrice: 100, timeInForce: 'gtc', bracket: { stopLoss: 95, takeProfit: 110 }, reason: 'dip' };
    const trailing: OrderRequest = { ...entry(2), bracket: { trail: { percent: 0.05 } } };
    journal.record(bracketed);
    journal.record(trailing);
    journal.close();
    appendFileSync(file, '{"clientOrderId":"s1-old-3","strategyId":"s1","symbol":"MSFT","side":"sell","qty":4}\n');
    const read = new OrderJournal(file).read(() => {});
    expect(read.map(requestOfJournalEntry)).toEqual([bracketed, trailing, { clientOrderId: 's1-old-3', strategyId: 's1', symbol: 'MSFT', side: 'sell', qty: 4, type: 'market', timeInForce: 'day' }]);
  });
});
