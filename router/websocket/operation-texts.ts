import { LRUCache } from 'lru-cache';

/** Operation texts remembered (the document cache keeps as many parsed documents). */
const MAX_TEXTS = 1_000;

/**
 * One copy of each operation text that started an operation. graphql-ws keeps every subscribe
 * message for the life of its operation, each with its own copy of the text parsed from the
 * frame; handing out the copy already held lets thousands of open subscriptions of one operation
 * hold its text once.
 */
export class OperationTexts {
  private readonly texts = new LRUCache<string, string>({ max: MAX_TEXTS });

  /** The copy held of `text`, or `text` itself when none is. */
  shared(text: string): string {
    return this.texts.get(text) ?? text;
  }

  /** Keeps `text` as the copy to hand out (called once an operation of it was accepted). */
  remember(text: string): void {
    if (!this.texts.has(text)) this.texts.set(text, text);
  }
}
