/**
 * A WebSocket client that falls behind, in a process of its own (as an attacker would be): it
 * opens `count` identical subscriptions, then reads 20 ms a second; told "stall", it stops
 * reading; told "resume", it reads again. It reports to its parent, over IPC, when it is
 * subscribed and how its socket closed.
 *
 *   node --import tsx slow-reader-process.ts <wsUrl> <count> <query> <variables JSON>
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { messageText } from '../../common/websocket/message-text.js';

const [url, countText, query, variablesText] = process.argv.slice(2);
const count = Number(countText);
const variables = JSON.parse(variablesText ?? '{}') as Record<string, unknown>;
const send = (message: Record<string, unknown>) => process.send?.(message);

const socket = new WebSocket(url!, 'graphql-transport-ws');
let reader: NodeJS.Timeout | undefined;
socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
socket.once('message', (data) => {
  if ((JSON.parse(messageText(data)) as { type: string }).type !== 'connection_ack') throw new Error('not acknowledged');
  for (let index = 0; index < count; index += 1) socket.send(JSON.stringify({ id: `slow${index}`, type: 'subscribe', payload: { query, variables } }));
  const raw = (socket as unknown as { _socket: Socket })._socket;
  raw.pause();
  reader = setInterval(() => {
    raw.resume();
    setTimeout(() => raw.pause(), 20);
  }, 1_000);
  process.on('message', (command: string) => {
    if (command === 'stall') {
      clearInterval(reader);
      raw.pause();
    }
    if (command === 'resume') raw.resume();
  });
  send({ type: 'subscribed' });
});
socket.on('close', (code, reason) => {
  clearInterval(reader);
  send({ type: 'closed', code, reason: String(reason) });
  process.disconnect?.();
});
socket.on('error', (error) => send({ type: 'error', message: error.message }));
