import { describe, expect, it } from 'vitest';
import { estimateSyllables, tokenizeSentences, tokenizeWords } from '../../../subgraphs/history/analyzers/index.js';

describe('word tokenization', () => {
  it('counts words across unicode letters', () => {
    expect(tokenizeWords('Ñandú café über')).toEqual(['Ñandú', 'café', 'über']);
    expect(tokenizeWords('Привет мир, γειά σου')).toEqual(['Привет', 'мир', 'γειά', 'σου']);
  });

  it('normalises combining accents so a decomposed letter stays inside its word', () => {
    // "e" + U+0301 COMBINING ACUTE ACCENT is NFC-normalised to "é".
    expect(tokenizeWords('e\u0301cole')).toEqual(['école']);
  });

  it('keeps apostrophes inside words but not around them', () => {
    expect(tokenizeWords("don't l'eau rock'n'roll dogs' 'quoted'")).toEqual(["don't", "l'eau", "rock'n'roll", 'dogs', 'quoted']);
    expect(tokenizeWords('isn\u2019t')).toEqual(['isn\u2019t']);
  });

  it('keeps decimal and grouped numbers whole but splits words joined by a period', () => {
    expect(tokenizeWords('Pi is 3.14, about 1,000 ways. end.Start')).toEqual(['Pi', 'is', '3.14', 'about', '1,000', 'ways', 'end', 'Start']);
  });

  it('finds no words in punctuation, symbols, emoji or whitespace', () => {
    expect(tokenizeWords('!!! ... ??? — 😀 \n\t')).toEqual([]);
    expect(tokenizeWords('')).toEqual([]);
  });
});

describe('sentence splitting', () => {
  const count = (text: string): number => tokenizeSentences(text).length;

  it('splits on . ! ? and the ellipsis character', () => {
    expect(count('Hi. How are you? Fine!')).toBe(3);
    expect(count('Wait\u2026 what')).toBe(2);
    expect(count('Really?! Yes...')).toBe(2);
  });

  it('splits on line ends, even without punctuation', () => {
    expect(count('first line\nsecond line\r\nthird line')).toBe(3);
    expect(count('- item one\n- item two')).toBe(2);
  });

  it('does not split inside numbers or dotted names', () => {
    expect(count('Version 3.14 of node.js is out')).toBe(1);
  });

  it('ends a sentence after a terminator followed by a closing quote', () => {
    expect(tokenizeSentences('He said "stop." Then he left.')).toEqual([
      ['He', 'said', 'stop'],
      ['Then', 'he', 'left'],
    ]);
  });

  it('splits on ideographic terminators', () => {
    expect(count('日本語です。次の文。')).toBe(2);
  });

  it('ignores segments without words and treats unterminated text as one sentence', () => {
    expect(count('!!! ... ???')).toBe(0);
    expect(count('\n\n')).toBe(0);
    expect(count('no terminator at all')).toBe(1);
    expect(count('One.\n\n!!!\nTwo.')).toBe(2);
  });
});

describe('syllable estimate', () => {
  it('counts vowel groups', () => {
    expect(estimateSyllables('cat')).toBe(1);
    expect(estimateSyllables('happy')).toBe(2); // a, y
    expect(estimateSyllables('beautiful')).toBe(3); // eau, i, u
    expect(estimateSyllables('queue')).toBe(1); // ueue is one group
  });

  it('drops a silent trailing e but keeps consonant + le', () => {
    expect(estimateSyllables('make')).toBe(1); // a, e − silent e
    expect(estimateSyllables('whale')).toBe(1); // "ale" is vowel + le, so the e is silent
    expect(estimateSyllables('table')).toBe(2); // a, e; "ble" keeps the e
    expect(estimateSyllables('people')).toBe(2); // eo, e; "ple" keeps the e
  });

  it('never goes below one syllable', () => {
    expect(estimateSyllables('the')).toBe(1); // one group: the e is not dropped
    expect(estimateSyllables('42')).toBe(1);
    expect(estimateSyllables('rhythm')).toBe(1); // y
    expect(estimateSyllables('日本語')).toBe(1);
  });

  it('strips diacritics and voices an accented final e', () => {
    expect(estimateSyllables('Ñandú')).toBe(2); // nandu: a, u
    expect(estimateSyllables('über')).toBe(2); // uber: u, e
    expect(estimateSyllables('café')).toBe(2); // cafe: a, e; "é" is not silent
    expect(estimateSyllables('cafe')).toBe(1); // a, e − silent e
  });
});
