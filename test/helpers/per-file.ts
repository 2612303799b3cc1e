// Run before each test file (vitest.config.ts `setupFiles`). The fast tier runs its files without
// isolation (`isolate: false`: a worker loads vitest, the sources and the in-process CLI's bundle
// once, not once per file; issue 29), so module state a file sets must not reach the next file:
// the in-process CLI is off until a file asks for it (useInProcessCli).
import { useInProcessCli } from './in-process.js';

useInProcessCli(false);
