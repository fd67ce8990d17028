import { createRequire } from 'node:module';

/** The `federation_version` of a supergraph.yaml, as rover reads it. */
export interface FederationVersion {
  /** The text as written, e.g. `=2.7.1` or `2`. */
  raw: string;
  /** Always 2: Federation 1 is not supported by this tooling. */
  major: 2;
  /** The exact version when pinned with `=` (e.g. `2.7.1`), otherwise undefined. */
  exact?: string;
}

const VERSION_PATTERN = /^(=)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?$/;

/**
 * Parses a rover `federation_version` (`=2.x.y`, `2`, `2.x`).
 * Returns the version, or a readable problem when the value is not a Federation 2 version.
 */
export function parseFederationVersion(value: unknown): FederationVersion | { problem: string } {
  const raw = typeof value === 'number' ? String(value) : value;
  if (typeof raw !== 'string' || raw.trim() === '') {
    return { problem: 'federation_version must be a string such as "=2.7.1" or "2"' };
  }
  const text = raw.trim();
  const match = VERSION_PATTERN.exec(text);
  if (!match) {
    return { problem: `federation_version "${text}" is not a version (expected e.g. "=2.7.1" or "2")` };
  }
  const [, pinned, major, minor, patch, prerelease] = match;
  if (major !== '2') {
    return { problem: `federation_version "${text}" is not Federation 2; only Federation 2 is supported` };
  }
  const version: FederationVersion = { raw: text, major: 2 };
  if (pinned && minor !== undefined && patch !== undefined) {
    version.exact = `${major}.${minor}.${patch}${prerelease ?? ''}`;
  }
  return version;
}

/** The version of the installed `@apollo/composition` package, if it can be read. */
export function installedCompositionVersion(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require('@apollo/composition/package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A warning when supergraph.yaml pins an exact federation version that differs from the installed
 * composition library (the supergraph is always composed with the installed one).
 */
export function federationVersionWarning(
  version: FederationVersion | undefined,
  installed: string | undefined = installedCompositionVersion(),
): string | undefined {
  if (!version?.exact || !installed || version.exact === installed) return undefined;
  return (
    `supergraph.yaml pins federation_version ${version.raw}, but @apollo/composition ${installed} ` +
    `is installed; the supergraph is composed with ${installed}`
  );
}
