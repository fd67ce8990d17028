/** Entry point: reads the page's configuration, creates the Apollo Client and renders the app. */
import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createDashboardApollo } from './apollo/client.js';
import { App } from './app.js';
import { readConfig } from './config.js';
import { trackSocket } from './live/connection-state.js';
import { TokenProvider } from './ui/token.js';
import './styles.css';

const config = readConfig();
const { client, socket } = createDashboardApollo(config);
trackSocket(socket);

const root = document.getElementById('root');
if (!root) throw new Error('the page has no #root element');
createRoot(root).render(
  <StrictMode>
    <ApolloProvider client={client}>
      <TokenProvider hasToken={config.token !== undefined}>
        <App />
      </TokenProvider>
    </ApolloProvider>
  </StrictMode>,
);
