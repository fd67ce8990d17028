/** What the server tells the page (`window.__TRIBUTARY__`, written into the HTML by the router). */
export interface DashboardConfig {
  /** Bearer token for mutations; absent when the server gives none (mutations then need one). */
  readonly token?: string;
  /** GraphQL endpoint path, `/graphql` unless the server says otherwise. */
  readonly endpoint: string;
}

declare global {
  interface Window {
    __TRIBUTARY__?: { token?: unknown; endpoint?: unknown };
  }
}

/** Reads the configuration the server wrote into the page. */
export function readConfig(): DashboardConfig {
  const injected = window.__TRIBUTARY__ ?? {};
  const token = typeof injected.token === 'string' && injected.token !== '' ? injected.token : undefined;
  const endpoint = typeof injected.endpoint === 'string' ? injected.endpoint : '/graphql';
  return token === undefined ? { endpoint } : { endpoint, token };
}
