/** 10^0 … 10^22: the powers of ten a double holds exactly. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The number written in bytes `s…e` of `b` (ASCII), exactly as `Number(text)` reads it. The usual
 * `-123.4567` takes a fast path: its digits as an integer below 2^53 divided by an exact power of
 * ten, one correctly rounded division, which is the double nearest the decimal (Clinger's fast
 * path), so the same bits as `Number`. Anything else (exponents, more than 15 digits, signs, hex,
 * junk) goes through `Number` itself. Leading and trailing spaces are ignored; nothing is NaN.
 */
export function decimalAt(b: Uint8Array, s: number, e: number): number {
  while (s < e && b[s] === 32) s++;
  while (e > s && b[e - 1] === 32) e--;
  if (s === e) return Number.NaN;
  let p = s;
  const negative = b[p] === 45;
  if (negative) p++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let dot = false;
  for (; p < e; p++) {
    const c = b[p]!;
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (dot) scale++;
    } else if (c === 46 && !dot) dot = true;
    else return slow(b, s, e);
  }
  if (digits === 0 || digits > 15) return slow(b, s, e);
  const v = scale === 0 ? mantissa : mantissa / POW10[scale]!;
  return negative ? -v : v;
}

function slow(b: Uint8Array, s: number, e: number): number {
  return Number(Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('utf8'));
}
