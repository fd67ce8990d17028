import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The exact text written to the committed supergraph file for a composed SDL. */
export function supergraphFileContent(supergraphSdl: string): string {
  return `${supergraphSdl.replace(/\r\n/g, '\n').trimEnd()}\n`;
}

/** True when a committed supergraph file's text matches the composed SDL (line endings ignored). */
export function isSupergraphUpToDate(fileText: string, supergraphSdl: string): boolean {
  return supergraphFileContent(fileText) === supergraphFileContent(supergraphSdl);
}

/** Writes a composed supergraph to `path`, creating the directory when needed. */
export async function writeSupergraphFile(path: string, supergraphSdl: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, supergraphFileContent(supergraphSdl), 'utf8');
}

/** Reads a supergraph file; undefined when it does not exist. */
export async function readSupergraphFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
