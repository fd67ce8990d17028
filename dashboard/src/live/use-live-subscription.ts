/**
 * A subscription that survives a lost connection: it starts after the position the page's query
 * read, remembers the position of every item it receives, and after a drop resubscribes with
 * `after` set to the last one, so the server sends exactly what was missed: nothing lost, nothing
 * twice. Items go through Apollo's cache, which updates every query showing the same objects.
 */
import { useEffect, useRef, useState } from 'react';
import { CombinedGraphQLErrors, type TypedDocumentNode } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { codeOf } from '../apollo/error-code.js';
import { isSocketOpen, onSocketOpen, reportReconnecting } from './connection-state.js';

/** Codes with which the router ends a stream that the client should simply resume. */
const RESUMABLE_CODES = new Set(['SUPERGRAPH_RELOADED', 'SLOW_CONSUMER', 'SHUTTING_DOWN']);
const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 3000];

/** What the hook reports. */
export interface LiveState {
  /** An error the server answered with (not a lost connection), e.g. NOT_FOUND. */
  readonly error?: Error;
  /** The last position received (or the one it started after). */
  readonly position?: string;
}

export interface LiveOptions<Data, Variables> {
  /** The variables without `after`. */
  readonly variables: Variables;
  /** Where to start: the position the page's data was read at; the hook waits while undefined. */
  readonly after: string | undefined;
  /** The position of a received item. */
  readonly positionOf: (data: Data) => string | undefined;
  readonly onData?: (data: Data) => void;
  /** Nothing is subscribed while true. */
  readonly skip?: boolean;
}

function isResumable(error: unknown): boolean {
  if (!CombinedGraphQLErrors.is(error)) return true; // a lost or refused connection
  return error.errors.some((item) => RESUMABLE_CODES.has(codeOf(item.extensions, '')));
}

export function useLiveSubscription<Data, Variables extends Record<string, unknown>>(
  document: TypedDocumentNode<Data, Variables & { after?: string | null }>,
  options: LiveOptions<Data, Variables>,
): LiveState {
  const client = useApolloClient();
  const [state, setState] = useState<LiveState>({});
  const last = useRef<{ key: string; position: string | undefined } | undefined>(undefined);
  const callbacks = useRef(options);
  callbacks.current = options;
  const variablesKey = JSON.stringify(options.variables);
  const ready = !options.skip && options.after !== undefined;

  useEffect(() => {
    if (!ready) return undefined;
    const marker = Symbol(variablesKey);
    // Another stream starts from its own query's position; the same one resumes where it was.
    if (last.current?.key !== variablesKey) last.current = { key: variablesKey, position: callbacks.current.after };
    const resume = last.current;
    let stopped = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current: { unsubscribe(): void } | undefined;

    const retry = () => {
      reportReconnecting(marker, true);
      const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
      attempt += 1;
      timer = setTimeout(start, delay);
    };
    // Subscribed on an acknowledged connection: live again, even before an item arrives.
    const live = () => {
      if (!current) return;
      attempt = 0;
      reportReconnecting(marker, false);
    };
    const stopWatching = onSocketOpen(live);
    const fail = (error: unknown) => {
      current = undefined;
      if (stopped) return;
      if (isResumable(error)) return retry();
      reportReconnecting(marker, false);
      setState({ error: error instanceof Error ? error : new Error(String(error)), ...(resume.position ? { position: resume.position } : {}) });
    };
    function start(): void {
      if (stopped) return;
      const variables = { ...callbacks.current.variables, after: resume.position ?? null };
      current = client.subscribe({ query: document, variables }).subscribe({
        next: (result) => {
          if (result.error) return fail(result.error);
          if (!result.data) return;
          attempt = 0;
          reportReconnecting(marker, false);
          const position = callbacks.current.positionOf(result.data);
          if (position !== undefined) resume.position = position;
          setState(resume.position === undefined ? {} : { position: resume.position });
          callbacks.current.onData?.(result.data);
        },
        error: fail,
        complete: () => {
          current = undefined;
        },
      });
      if (isSocketOpen()) live();
    }
    start();
    return () => {
      stopped = true;
      stopWatching();
      if (timer !== undefined) clearTimeout(timer);
      current?.unsubscribe();
      reportReconnecting(marker, false);
    };
    // The document and variables define the stream; `after` only matters for its first start.
  }, [client, document, variablesKey, ready]);

  return state;
}
