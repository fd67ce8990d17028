import type { RawData } from 'ws';

/**
 * The text of one WebSocket message as `ws` hands it over: a Buffer, an ArrayBuffer, or the
 * fragments of one message as Buffers (`String()` of the last would join them with commas).
 */
export function messageText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
