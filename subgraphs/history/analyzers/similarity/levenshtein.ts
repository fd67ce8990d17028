/**
 * Levenshtein distance (insert, delete, substitute; each costs 1) between two arrays of Unicode
 * code points, using the bit-parallel algorithm of Myers (1999) in the block form of Hyyrö (2003).
 *
 * The classic dynamic programme fills an (m+1)×(n+1) table where neighbouring cells differ by
 * −1, 0 or +1. The bit-parallel form stores a column of those vertical differences as two bit
 * masks (`pv`: +1, `mv`: −1), 32 rows per machine word, and advances a whole 32-row block by one
 * column with a dozen bitwise operations. The longer array is the "pattern" (rows), cut into
 * blocks of 32; the shorter is the "text" (columns). Blocks are processed top to bottom; the
 * horizontal difference leaving the bottom of a block at each column is kept in two bit arrays
 * (`plusCarry`, `minusCarry`) and enters the next block there. The top row of the table is
 * 0, 1, 2, … so every column starts with a +1 horizontal difference.
 *
 * Cost: O(⌈m/32⌉·n) time, i.e. O(m·n) with a 32× smaller constant than the cell-by-cell
 * programme (two 10 KB texts take milliseconds instead of half a second), and O(min(m, n))
 * memory: the text as dense symbol ids, one match mask per distinct text symbol, two carry bits
 * per text position. A shared prefix and suffix are trimmed first; they never change the distance.
 *
 * {@link boundedLevenshtein} caps the work: past a number of table cells it only fills a band of
 * columns around the table's diagonal (see {@link blockDistance}).
 */

/** Exact distance at any length; the work grows with the product of the lengths. */
export function levenshtein(left: Uint32Array, right: Uint32Array): number {
  return bandedLevenshtein(left, right, Number.POSITIVE_INFINITY);
}

/**
 * Table cells (length × length, after trimming the shared prefix and suffix) up to which
 * {@link boundedLevenshtein} is exact: 2^28, two texts of 16,384 code points each.
 */
export const EXACT_DISTANCE_CELLS = 2 ** 28;

/**
 * The distance with bounded work. Up to `cellLimit` table cells it is {@link levenshtein}'s exact
 * distance. Beyond, only a band of columns around the diagonal from (0, 0) to (m, n) is filled,
 * as wide as the same number of cells allows (about ±1,300 code points for two 100,000-code-point
 * texts): the result is the cheapest edit script whose alignment stays inside the band. That is
 * exact when the texts drift apart by less than the band (an edited version of the same text),
 * and otherwise an upper bound of the distance. It is deterministic and symmetric.
 */
export function boundedLevenshtein(left: Uint32Array, right: Uint32Array, cellLimit = EXACT_DISTANCE_CELLS): number {
  const { pattern, text } = trimmed(left, right);
  if (text.length === 0) return pattern.length;
  const cells = pattern.length * text.length;
  return blockDistance(pattern, text, cells <= cellLimit ? Number.POSITIVE_INFINITY : bandFor(pattern.length, text.length, cellLimit));
}

/**
 * The distance over the band of ±`band` columns around the diagonal (see {@link blockDistance}),
 * after trimming the shared prefix and suffix: exact when an optimal alignment stays in the band,
 * an upper bound otherwise; an infinite band is {@link levenshtein}. {@link boundedLevenshtein} picks
 * the band from its cell limit.
 */
export function bandedLevenshtein(left: Uint32Array, right: Uint32Array, band: number): number {
  const { pattern, text } = trimmed(left, right);
  if (text.length === 0) return pattern.length;
  return blockDistance(pattern, text, band);
}

/**
 * Half-width of the band (in columns beyond the diagonal) that keeps the work of
 * {@link blockDistance} near `cellLimit` cells: each of the ⌈m/32⌉ blocks fills its share of the
 * diagonal plus the band on both sides.
 */
function bandFor(m: number, n: number, cellLimit: number): number {
  const blocks = Math.ceil(m / 32);
  const columnSteps = cellLimit / 32;
  return Math.max(0, Math.floor((columnSteps - n) / blocks / 2));
}

/**
 * Drops the shared prefix and suffix and orders the rest: the pattern is the longer array, and of
 * two equally long ones the lexicographically smaller, so a banded distance is symmetric too.
 */
function trimmed(left: Uint32Array, right: Uint32Array): { pattern: Uint32Array; text: Uint32Array } {
  let start = 0;
  const shortest = Math.min(left.length, right.length);
  while (start < shortest && left[start] === right[start]) start += 1;
  let endL = left.length;
  let endR = right.length;
  while (endL > start && endR > start && left[endL - 1] === right[endR - 1]) {
    endL -= 1;
    endR -= 1;
  }
  const a = left.subarray(start, endL);
  const b = right.subarray(start, endR);
  return b.length > a.length || (b.length === a.length && precedes(b, a)) ? { pattern: b, text: a } : { pattern: a, text: b };
}

function precedes(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** Dense ids for the text's symbols, so match masks live in a small typed array. */
function symbolIds(text: Uint32Array): { ids: Uint32Array; idOf: Map<number, number> } {
  const idOf = new Map<number, number>();
  const ids = new Uint32Array(text.length);
  for (let i = 0; i < text.length; i += 1) {
    const symbol = text[i]!;
    let id = idOf.get(symbol);
    if (id === undefined) {
      id = idOf.size;
      idOf.set(symbol, id);
    }
    ids[i] = id;
  }
  return { ids, idOf };
}

/**
 * Myers/Hyyrö over blocks of 32 pattern rows; requires a non-empty pattern and text.
 *
 * With a finite `band`, the block of pattern rows [r0, r1) fills only the text columns
 * [⌊r0·n/m⌋ − band, ⌈r1·n/m⌉ + band) (clamped to the text), so both ends of the window move
 * right from block to block. Cells outside the windows are taken as reached by a straight run of
 * deletions (left of a window: every vertical difference +1) or insertions (right of the previous
 * block's window: every horizontal difference +1, which is what the carries start with). Each
 * value is therefore the cost of a real edit path, never below the true distance, and equal to it
 * when an optimal path stays inside the windows. With an infinite band every window is the whole
 * text and the result is exact.
 *
 * The windows' left ends need absolute values: `corner` is the table value just above the block
 * and left of its window, carried from the bottom row of the block before.
 */
function blockDistance(pattern: Uint32Array, text: Uint32Array, band: number): number {
  const m = pattern.length;
  const n = text.length;
  const { ids, idOf } = symbolIds(text);
  const match = new Int32Array(idOf.size); // bit r: pattern row (block start + r) equals symbol
  const plusCarry = new Int32Array(Math.ceil(n / 32)).fill(-1); // top row: +1 everywhere
  const minusCarry = new Int32Array(Math.ceil(n / 32));
  // An infinite band makes every window the whole text.
  const windowStart = (row: number) => Math.max(0, Math.floor((row * n) / m) - band);
  const windowEnd = (row: number) => Math.min(n, Math.ceil((row * n) / m) + band);
  let corner = 0; // D[0][0]
  let score = 0;
  for (let blockStart = 0; blockStart < m; blockStart += 32) {
    const rows = Math.min(32, m - blockStart);
    const lastRow = rows - 1;
    const blockEnd = blockStart + rows;
    const isLastBlock = blockEnd === m;
    const from = windowStart(blockStart);
    const to = windowEnd(blockEnd);
    // Bottom row of this block, left of the next window: the next block's corner.
    const nextFrom = isLastBlock ? from : windowStart(blockEnd);
    let bottom = corner + rows; // straight down the column left of the window
    if (isLastBlock) score = bottom;
    for (let r = 0; r < rows; r += 1) {
      const id = idOf.get(pattern[blockStart + r]!);
      if (id !== undefined) match[id] = match[id]! | (1 << r);
    }
    let pv = -1; // vertical differences left of the window are all +1
    let mv = 0;
    for (let i = from; i < to; i += 1) {
      const eq = match[ids[i]!]!;
      const word = i >>> 5;
      const bit = i & 31;
      const pIn = (plusCarry[word]! >>> bit) & 1;
      const mIn = (minusCarry[word]! >>> bit) & 1;
      const xv = eq | mv;
      const xh = ((((eq | mIn) & pv) + pv) ^ pv) | eq | mIn;
      let ph = mv | ~(xh | pv);
      let mh = pv & xh;
      const pOut = (ph >>> lastRow) & 1;
      const mOut = (mh >>> lastRow) & 1;
      if (isLastBlock) score += pOut - mOut;
      else {
        if (i < nextFrom) bottom += pOut - mOut;
        if (pOut !== pIn) plusCarry[word] = plusCarry[word]! ^ (1 << bit);
        if (mOut !== mIn) minusCarry[word] = minusCarry[word]! ^ (1 << bit);
      }
      ph = (ph << 1) | pIn;
      mh = (mh << 1) | mIn;
      pv = mh | ~(xv | ph);
      mv = ph & xv;
    }
    corner = bottom;
    for (let r = 0; r < rows; r += 1) {
      const id = idOf.get(pattern[blockStart + r]!);
      if (id !== undefined) match[id] = 0;
    }
  }
  return score;
}
