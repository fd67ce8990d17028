/**
 * Whether live data is flowing. The WebSocket client reports when it connects and closes; the
 * subscriptions that lost their connection and wait to resubscribe report that they wait. The
 * page shows "Live" once connected, and a reconnecting state while any subscription waits.
 */
import { useSyncExternalStore } from 'react';
import type { Client } from 'graphql-ws';

/** What the page shows about its live data. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting';

const waiting = new Set<symbol>();
const listeners = new Set<() => void>();
const openListeners = new Set<() => void>();
let socketOpen = false;

function notify(): void {
  for (const listener of listeners) listener();
}

/** Marks one subscription as waiting to reconnect, or as live again. */
export function reportReconnecting(subscription: symbol, reconnecting: boolean): void {
  const changed = reconnecting ? !waiting.has(subscription) && Boolean(waiting.add(subscription)) : waiting.delete(subscription);
  if (changed) notify();
}

/** Follows the WebSocket client's state: a subscription sent on an open socket is live. */
export function trackSocket(socket: Client): void {
  socket.on('connected', () => {
    socketOpen = true;
    for (const listener of openListeners) listener();
    notify();
  });
  socket.on('closed', () => {
    socketOpen = false;
    notify();
  });
}

/** True while the WebSocket is connected (its connection acknowledged). */
export const isSocketOpen = (): boolean => socketOpen;

/** Calls `listener` each time the WebSocket connects; returns the function that stops it. */
export function onSocketOpen(listener: () => void): () => void {
  openListeners.add(listener);
  return () => openListeners.delete(listener);
}

const status = (): ConnectionStatus => (waiting.size > 0 ? 'reconnecting' : socketOpen ? 'live' : 'connecting');

/** The connection status, re-rendering on every change. */
export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, status);
}
