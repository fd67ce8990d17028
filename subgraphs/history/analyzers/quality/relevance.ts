import { STOPWORDS } from '../text/stopwords.js';
import { foldWord, tokenizeWords } from '../text/tokenize.js';

/**
 * Topic terms of a text: folded words that are not stopwords, with a trailing "s" dropped from
 * words longer than 3 letters as a crude plural stem ("shoes" ~ "shoe", "zapatos" ~ "zapato").
 * When every word is a stopword, the stopwords themselves are the terms.
 */
export function topicTerms(text: string): Set<string> {
  const all = tokenizeWords(text).map(foldWord);
  const topical = all.filter((word) => !STOPWORDS.has(word));
  return new Set((topical.length > 0 ? topical : all).map(stem));
}

function stem(term: string): string {
  return term.length > 3 && term.endsWith('s') && !term.endsWith('ss') ? term.slice(0, -1) : term;
}

/**
 * Share of the prompt's topic terms that the content mentions, 0..1; `undefined` when the
 * prompt is missing or has no words (relevance then cannot be judged).
 */
export function promptRelevance(content: string, prompt: string | undefined): number | undefined {
  if (prompt === undefined) return undefined;
  const wanted = topicTerms(prompt);
  if (wanted.size === 0) return undefined;
  const present = new Set(tokenizeWords(content).map((word) => stem(foldWord(word))));
  let hits = 0;
  for (const term of wanted) if (present.has(term)) hits += 1;
  return hits / wanted.size;
}
