import { foldWord } from '../text/tokenize.js';

/**
 * The built-in sentiment lexicon: a few dozen clearly polar English and Spanish words each.
 * Ambiguous words are left out on purpose ("like" in "looks like", "cara" = face or expensive,
 * "hard"). Entries are matched after {@link foldWord}, so "fantastico" matches "fantástico".
 */

/** English words with positive polarity. */
export const POSITIVE_EN = [
  'good',
  'great',
  'excellent',
  'amazing',
  'awesome',
  'wonderful',
  'fantastic',
  'love',
  'loved',
  'lovely',
  'best',
  'better',
  'happy',
  'pleased',
  'delightful',
  'perfect',
  'beautiful',
  'brilliant',
  'outstanding',
  'superb',
  'nice',
  'enjoy',
  'enjoyed',
  'recommend',
  'reliable',
  'easy',
  'helpful',
  'useful',
  'impressive',
  'comfortable',
  'success',
  'successful',
] as const;

/** English words with negative polarity. */
export const NEGATIVE_EN = [
  'bad',
  'poor',
  'terrible',
  'awful',
  'horrible',
  'worst',
  'worse',
  'hate',
  'hated',
  'sad',
  'angry',
  'disappointing',
  'disappointed',
  'broken',
  'useless',
  'slow',
  'expensive',
  'fail',
  'failed',
  'failure',
  'problem',
  'problems',
  'bug',
  'error',
  'ugly',
  'boring',
  'dirty',
  'annoying',
  'unreliable',
  'waste',
  'wrong',
  'painful',
] as const;

/** Spanish words with positive polarity. */
export const POSITIVE_ES = [
  'bueno',
  'buena',
  'buenos',
  'buenas',
  'excelente',
  'excelentes',
  'genial',
  'maravilloso',
  'maravillosa',
  'fantástico',
  'fantástica',
  'increíble',
  'encanta',
  'encantó',
  'mejor',
  'mejores',
  'feliz',
  'felices',
  'perfecto',
  'perfecta',
  'hermoso',
  'hermosa',
  'bonito',
  'bonita',
  'útil',
  'fácil',
  'recomiendo',
  'éxito',
  'agradable',
  'cómodo',
  'cómoda',
  'fiable',
] as const;

/** Spanish words with negative polarity. */
export const NEGATIVE_ES = [
  'malo',
  'mala',
  'malos',
  'malas',
  'terrible',
  'horrible',
  'pésimo',
  'pésima',
  'peor',
  'peores',
  'odio',
  'triste',
  'enojado',
  'decepcionante',
  'decepcionado',
  'roto',
  'rota',
  'inútil',
  'lento',
  'lenta',
  'caro',
  'difícil',
  'problema',
  'problemas',
  'error',
  'errores',
  'fallo',
  'fracaso',
  'feo',
  'fea',
  'aburrido',
  'aburrida',
  'sucio',
] as const;

/**
 * Words that flip the polarity of a following sentiment word. Any word ending in "n't"
 * ("don't", "isn’t") is a negator as well; see `isNegator` in `sentiment.ts`.
 */
export const NEGATORS = [
  'not',
  'no',
  'never',
  'none',
  'nobody',
  'nothing',
  'neither',
  'nor',
  'without',
  'cannot',
  'nunca',
  'jamás',
  'nada',
  'nadie',
  'ni',
  'tampoco',
  'sin',
  'ningún',
  'ninguno',
  'ninguna',
] as const;

const folded = (words: readonly string[]): ReadonlySet<string> => new Set(words.map(foldWord));

/** Folded positive words of both languages. */
export const POSITIVE_WORDS: ReadonlySet<string> = folded([...POSITIVE_EN, ...POSITIVE_ES]);
/** Folded negative words of both languages. */
export const NEGATIVE_WORDS: ReadonlySet<string> = folded([...NEGATIVE_EN, ...NEGATIVE_ES]);
/** Folded negators of both languages. */
export const NEGATOR_WORDS: ReadonlySet<string> = folded(NEGATORS);
