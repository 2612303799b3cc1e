// One directory of sandbox templates for the whole run (helpers/template.ts), shared by the
// workers and removed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lanes-templates-'));
  process.env.LANES_TEST_TEMPLATES = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
