import { readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';

/** Write a file so that a reader (or a hook git starts meanwhile) sees the old or the new content, never half. */
export function writeFileAtomic(file: string, content: string | Buffer, mode?: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  if (mode !== undefined) chmodSync(tmp, mode);
  renameSync(tmp, file);
}

/** A file's bytes; null when it cannot be read (absent). */
export function readBytes(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}
