import { foldWord } from './tokenize.js';

/**
 * Function words of English and Spanish, folded. They carry no topic, so they are ignored when
 * judging whether content addresses its prompt.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  [
    // English
    'a', 'an', 'the', 'and', 'or', 'but', 'if', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'with',
    'from', 'about', 'as', 'into', 'is', 'are', 'was', 'were', 'be', 'been', 'it', 'its', 'this',
    'that', 'these', 'those', 'i', 'you', 'he', 'she', 'we', 'they', 'me', 'my', 'your', 'our',
    'their', 'do', 'does', 'please', 'write', 'some', 'any', 'so', 'than', 'then',
    // Spanish
    'el', 'la', 'los', 'las', 'un', 'una', 'unos', 'unas', 'y', 'o', 'pero', 'de', 'del', 'al',
    'a', 'en', 'por', 'para', 'con', 'sobre', 'que', 'es', 'son', 'fue', 'ser', 'se', 'su', 'sus',
    'lo', 'le', 'les', 'yo', 'tu', 'mi', 'nos', 'este', 'esta', 'estos', 'estas', 'como', 'mas',
    'escribe', 'escribir',
  ].map(foldWord),
);
