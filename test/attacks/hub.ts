// A bare hub running guard pre-receive, with a coordinator; `edit` changes the committed config.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Sandbox } from '../../src/demo/sandbox.js';
import { CLI, tmpDir } from '../helpers/world.js';

const PRE_RECEIVE = `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} guard pre-receive\n`;

export function hub(
  edit: (cfg: Record<string, any>) => void = () => {},
  opts: { hook?: boolean } = {},
): Sandbox {
  const sb = new Sandbox(tmpDir(), CLI);
  sb.createCoordinator();
  const cfg = JSON.parse(sb.must(sb.coordinator, 'show', 'HEAD:.lanesrc.json'));
  edit(cfg);
  sb.write(sb.coordinator, '.lanesrc.json', JSON.stringify(cfg, null, 2));
  sb.must(sb.coordinator, 'commit', '-qam', 'server config');
  sb.must(sb.coordinator, 'push', '-q', 'origin', 'master');
  if (opts.hook === false) return sb; // a host without server hooks (GitHub)
  const hook = path.join(sb.remote, 'hooks', 'pre-receive');
  writeFileSync(hook, PRE_RECEIVE);
  chmodSync(hook, 0o755);
  return sb;
}
