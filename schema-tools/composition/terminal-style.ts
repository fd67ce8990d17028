/** Terminal text styling: ANSI colours when enabled, plain text otherwise. */
export interface TerminalStyle {
  ok(text: string): string;
  fail(text: string): string;
  warn(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/** A style that colours output when `color` is true (e.g. stdout is a TTY and NO_COLOR is unset). */
export function terminalStyle(color: boolean): TerminalStyle {
  if (!color) return { ok: plain, fail: plain, warn: plain, dim: plain, bold: plain };
  return {
    ok: wrap(32, 39),
    fail: wrap(31, 39),
    warn: wrap(33, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

/** True when the stream is a TTY and neither NO_COLOR nor a non-colour TERM asks otherwise. */
export function wantsColor(stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true && !process.env['NO_COLOR'] && process.env['TERM'] !== 'dumb';
}
