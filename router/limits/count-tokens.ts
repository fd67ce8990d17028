import { Lexer, Source, TokenKind } from 'graphql';

/**
 * Counts the lexical tokens of an operation text (comments excluded, as the parser skips them)
 * without building any syntax tree, and stops as soon as the count passes `max`: a 10 MB text is
 * refused after reading `max + 1` tokens. Returns the count, at most `max + 1`.
 *
 * A text the lexer rejects (an invalid character, an unterminated string) counts the tokens read
 * before the fault: the parser reports the syntax error itself afterwards.
 */
export function countTokens(text: string, max: number = Number.POSITIVE_INFINITY): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  try {
    while (count <= max && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // Not lexable from here on: the count so far stands.
  }
  return count;
}
