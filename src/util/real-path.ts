// A path's real location (symlinked directories resolved), for a file that does not exist yet
// too: the deepest existing ancestor is resolved and the rest appended.
import { realpathSync } from 'node:fs';
import path from 'node:path';

export function realPath(p: string): string {
  const rest: string[] = [];
  for (let cur = p; ;) {
    try {
      return path.join(realpathSync(cur), ...rest);
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return p;
      rest.unshift(path.basename(cur));
      cur = parent;
    }
  }
}
