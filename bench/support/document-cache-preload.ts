/**
 * PROTOTYPE of a proposed change to router/server/router-server.ts (onSubscribe): keep parsed
 * subscription documents in a cache keyed by their text, so identical operation texts share one
 * DocumentNode (graphql-ws keeps each subscription's document for the subscription's life, and a
 * parsed document with its token list costs ~10 KB). Loaded with `--import` into a benchmark's
 * router process only, before graphql is imported anywhere; it swaps graphql's `parse` for one
 * that caches documents whose text starts with `subscription` (the router's code is unchanged).
 * A real change would be a small LRU inside onSubscribe, also caching the validation result.
 */
import { createRequire } from 'node:module';
import type { DocumentNode } from 'graphql';

const require = createRequire(import.meta.url);
const parser = require('graphql/language/parser.js') as { parse: (source: unknown, options?: unknown) => DocumentNode };
const original = parser.parse;
const cache = new Map<string, DocumentNode>();
parser.parse = (source, options) => {
  if (typeof source !== 'string' || options !== undefined || !source.trimStart().startsWith('subscription')) return original(source, options);
  let document = cache.get(source);
  if (!document) {
    document = original(source);
    if (cache.size >= 1000) cache.delete(cache.keys().next().value!);
    cache.set(source, document);
  }
  return document;
};
