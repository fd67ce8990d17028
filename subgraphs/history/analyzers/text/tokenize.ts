/**
 * Unicode-aware tokenization shared by every analyzer.
 *
 * - Text is NFC-normalised first, so "é" typed as `e` + combining accent is one letter.
 * - A word is a run of letters/digits (`\p{L}`, `\p{N}`, plus combining marks `\p{M}` after the
 *   first character). Apostrophes (`'` or `’`) inside a word keep it whole ("don't", "l'eau");
 *   leading/trailing apostrophes are not part of the word. A `.` or `,` between two digits keeps
 *   a number whole ("3.14", "1,000").
 * - Scripts written without spaces (Chinese, Japanese) are not segmented: a run is one word.
 */

const WORD_PATTERN = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:(?:['\u2019]|(?<=\p{N})[.,](?=\p{N}))[\p{L}\p{M}\p{N}]+)*/gu;

/**
 * Where a sentence ends: a run of `.` `!` `?` `…` (optionally followed by closing quotes or
 * brackets) that is followed by whitespace or the end of text, an ideographic terminator
 * (`。` `！` `？`), or a line end. Requiring whitespace after `.` keeps "3.14" and "node.js"
 * inside one sentence; abbreviations such as "e.g. this" still end a sentence (a known limit).
 */
const SENTENCE_BREAK = /[.!?\u2026]+["'\u2019\u201D\u00BB)\]]*(?=\s|$)|[\u3002\uFF01\uFF1F]+|\r\n|[\r\n\u2028\u2029]/u;

/** NFC-normalises the text; every tokenizer below works on normalised text. */
export function normalizeText(text: string): string {
  return text.normalize('NFC');
}

/** The words of `text`, in order, exactly as written (case kept, NFC-normalised). */
export function tokenizeWords(text: string): string[] {
  return normalizeText(text).match(WORD_PATTERN) ?? [];
}

/**
 * The sentences of `text` as arrays of words. Segments without any word (e.g. "!!!" or an
 * empty line) are dropped, so text with words but no terminator is one sentence.
 */
export function tokenizeSentences(text: string): string[][] {
  const sentences: string[][] = [];
  for (const segment of normalizeText(text).split(SENTENCE_BREAK)) {
    const words = segment.match(WORD_PATTERN);
    if (words) sentences.push(words);
  }
  return sentences;
}

/** Case-folds a word and writes its apostrophe as `'`; the key for counting distinct words. */
export function normalizeWord(word: string): string {
  return word
    .normalize('NFC')
    .toLowerCase()
    .replace(/\u2019/g, "'");
}

/**
 * {@link normalizeWord} and also strips diacritics ("Pésimo" → "pesimo", "ñandú" → "nandu").
 * Used for lexicon and prompt lookups, where writers often drop accents.
 */
export function foldWord(word: string): string {
  return normalizeWord(word).normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/** Length in Unicode code points (an emoji or "𝔸" counts once, unlike `string.length`). */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}
