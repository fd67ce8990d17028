/** Whether the page can send commands: the router requires a bearer token for mutations. */
import { createContext, useContext, type ReactNode } from 'react';

const TokenContext = createContext<boolean>(false);

export function TokenProvider({ hasToken, children }: { readonly hasToken: boolean; readonly children: ReactNode }) {
  return <TokenContext.Provider value={hasToken}>{children}</TokenContext.Provider>;
}

/** True when the page has a token to send with mutations. */
export const useHasToken = (): boolean => useContext(TokenContext);

/** Shown instead of a form's button when there is no token. */
export function TokenNeeded() {
  return (
    <p className="token-needed" role="note">
      A token is needed to send commands: the router accepts mutations only with <code>Authorization: Bearer &lt;token&gt;</code>.
    </p>
  );
}
