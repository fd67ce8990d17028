import { execFile } from 'node:child_process';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_ISSUER, ROUTER_AUDIENCE, developmentKeyPath, loadOrCreateDevelopmentKey } from '../../common/trust/development-key.js';
import { ClientTokenVerifier } from '../../router/auth/client-token-verifier.js';
import { RouterConfigError, loadRouterConfig, parseRouterConfig } from '../../router/config/load-router-config.js';
import { resolveRouterSecurity } from '../../router/config/router-plugins.js';

const run = promisify(execFile);
const repository = path.resolve(import.meta.dirname, '../..');

function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): readonly string[] {
  try {
    parseRouterConfig(text, 'router.yaml', env);
  } catch (error) {
    if (error instanceof RouterConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('router.yaml', () => {
  it('expands ${env.NAME} and ${env.NAME:-default}, and treats empty values as not set', () => {
    const config = parseRouterConfig(
      [
        'server:',
        '  port: 4100',
        '  host: ${env.HOST:-0.0.0.0}',
        'authentication:',
        '  jwt:',
        '    jwks_url: ${env.JWKS_URL}',
        '    audience: ${env.AUDIENCE:-}',
        'subgraphs:',
        '  signing_key: ${env.KEY:-}',
      ].join('\n'),
      'router.yaml',
      { JWKS_URL: 'https://id.example.com/jwks.json' },
    );
    expect(config).toEqual({
      server: { port: 4100, host: '0.0.0.0' },
      authentication: { jwt: { jwks_url: 'https://id.example.com/jwks.json' } },
      subgraphs: {},
    });
  });

  it('names the key and the line of every problem', () => {
    expect(problemsOf(['server:', '  port: "four thousand"', 'authorisation:', '  reject_unauthorized: true'].join('\n'))).toEqual([
      'server.port (line 2): Invalid input: expected number, received string',
      'authorisation (line 3): unknown key',
    ]);
    expect(problemsOf(['authentication:', '  jwt:', '    jwks_url: ${env.JWKS_URL}'].join('\n'))).toEqual([
      'authentication.jwt.jwks_url (line 3): environment variable JWKS_URL is not set',
    ]);
    expect(problemsOf(['authentication:', '  jwt:', '    issuer: https://id.example.com/'].join('\n'))).toEqual([
      'authentication.jwt (line 2): set exactly one of jwks_url and jwks_file',
    ]);
    expect(problemsOf(['authentication:', '  jwt:', '    jwks_file: keys.json', '    algorithms: [none]'].join('\n'))).toEqual([
      'authentication.jwt.algorithms.0 (line 4): an algorithm name other than "none"',
    ]);
    expect(problemsOf('server: [unclosed')).toHaveLength(1);
  });

  it("loads the repository's own router.yaml as development defaults", async () => {
    const loaded = await loadRouterConfig(path.join(repository, 'router.yaml'), {});
    expect(loaded.config.authentication?.jwt).toBeUndefined();
    expect(loaded.config.authorization?.reject_unauthorized).toBe(false);
  });
});

describe('router security settings', () => {
  it("in development, creates the data folder's key readable by its owner only, and turns introspection on", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tributary-dev-key-'));
    const security = await resolveRouterSecurity({ config: {}, file: undefined, directory: dataDir }, { dataDir, env: {} });
    expect(security.mode).toBe('development');
    expect(security.introspection).toBe(true);
    expect(security.developmentKey?.kid).toBe(security.signingKey.kid);
    expect((await stat(developmentKeyPath(dataDir))).mode & 0o777).toBe(0o600);
    // Another process on the same folder finds the same key.
    expect((await loadOrCreateDevelopmentKey(dataDir)).kid).toBe(security.signingKey.kid);
  });

  it('in production, requires a signing key, creates no development key and turns introspection off', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tributary-prod-'));
    await writeFile(path.join(dataDir, 'jwks.json'), JSON.stringify({ keys: [] }));
    const config = { authentication: { jwt: { jwks_file: 'jwks.json' } } };
    await expect(resolveRouterSecurity({ config, file: undefined, directory: dataDir }, { dataDir, env: {} })).rejects.toThrow(/signing_key/);
    const security = await resolveRouterSecurity({ config, file: undefined, directory: dataDir }, { dataDir, env: { TRIBUTARY_ROUTER_KEY: 'A'.repeat(43) } });
    expect(security).toMatchObject({ mode: 'production', developmentKey: undefined, introspection: false });
    await expect(stat(developmentKeyPath(dataDir))).rejects.toThrow();
    const withIntrospection = await resolveRouterSecurity(
      { config: { ...config, introspection: true }, file: undefined, directory: dataDir },
      { dataDir, env: { TRIBUTARY_ROUTER_KEY: 'A'.repeat(43) } },
    );
    expect(withIntrospection.introspection).toBe(true);
  });
});

describe('npm run token', () => {
  it("prints a token of the data folder's development key with the subject and scopes asked for", { timeout: 60_000 }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tributary-token-'));
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'bin/token.ts', '--sub', 'alice', '--scope', 'inventory:write', '--scope', 'audit:read', '--ttl', '600', '--data-dir', dataDir],
      {
        cwd: repository,
      },
    );
    const verifier = new ClientTokenVerifier({
      keys: { kind: 'development', key: await loadOrCreateDevelopmentKey(dataDir) },
      issuer: DEVELOPMENT_ISSUER,
      audience: ROUTER_AUDIENCE,
    });
    const identity = await verifier.verify(stdout.trim());
    expect(identity.subject).toBe('alice');
    expect([...identity.scopes]).toEqual(['inventory:write', 'audit:read']);
    expect(identity.expiresAt! - Date.now()).toBeLessThanOrEqual(600_000);
  });
});
