import { isIPv4, isIPv6 } from 'node:net';

/** Who a request comes from, as far as rate limiting cares. */
export interface RateLimitCaller {
  /** The authenticated identity's subject, when there is one. */
  readonly subject?: string | null;
  /** The client's address (the socket's, or the first hop a trusted proxy reports). */
  readonly ip?: string | null;
}

/** The eight 16-bit groups of an IPv6 address, `::` expanded. */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  return [...left, ...Array.from({ length: tail === undefined ? 0 : missing }, () => '0'), ...right];
}

/**
 * The bucket key of a caller: its subject when authenticated, else its address. An IPv4 address
 * counts as itself (also when written IPv4-mapped, `::ffff:a.b.c.d`); an IPv6 address counts by
 * its /64 network, since one client usually holds a whole /64.
 */
export function rateLimitKey(caller: RateLimitCaller): string {
  if (caller.subject) return `sub:${caller.subject}`;
  const ip = (caller.ip ?? '').trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped && isIPv4(mapped)) return `ip:${mapped}`;
  if (isIPv4(ip)) return `ip:${ip}`;
  if (isIPv6(ip)) {
    const network = ipv6Groups(ip.split('%')[0]!)
      .slice(0, 4)
      .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
    return `ip6:${network.join(':')}::/64`;
  }
  return 'anonymous';
}
