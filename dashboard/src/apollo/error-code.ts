/** The `extensions.code` of a GraphQL error, or `fallback` when it has none (or not a string). */
export function codeOf(extensions: Readonly<Record<string, unknown>> | undefined, fallback = 'ERROR'): string {
  const code = extensions?.['code'];
  return typeof code === 'string' ? code : fallback;
}
