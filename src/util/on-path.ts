// Whether a program can be found the way a shell would find it.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** `name` is an executable file in one of PATH's directories (an empty entry is the current one). */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.PATH ?? '').split(path.delimiter).some((d) => {
    try {
      accessSync(path.join(d || '.', name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
