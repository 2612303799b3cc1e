import { renameSync, writeFileSync, chmodSync } from 'node:fs';

/** Write a file so that a reader (or a hook git starts meanwhile) sees the old or the new content, never half. */
export function writeFileAtomic(file: string, content: string | Buffer, mode?: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  if (mode !== undefined) chmodSync(tmp, mode);
  renameSync(tmp, file);
}
