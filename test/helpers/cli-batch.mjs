// Runs the built CLI once per argument list inside this one Node process: each run imports the
// bundle afresh (a new module instance, so main() runs again with that process.argv), with
// stdout and stderr captured and the exit code read from process.exitCode. Prints the results as
// JSON. For tests that ask every command in turn (help): one Node start instead of one per call.
// Usage: node cli-batch.mjs <bundle> <json array of argument lists>
import { pathToFileURL } from 'node:url';

const [bundle, json] = process.argv.slice(2);
const url = pathToFileURL(bundle).href;
const out = process.stdout.write.bind(process.stdout);
const results = [];
let i = 0;
for (const args of JSON.parse(json)) {
  let stdout = '';
  let stderr = '';
  process.stdout.write = (chunk) => ((stdout += chunk), true);
  process.stderr.write = (chunk) => ((stderr += chunk), true);
  process.argv = [process.argv[0], bundle, ...args];
  process.exitCode = undefined;
  try {
    await import(`${url}?run=${i++}`);
  } finally {
    delete process.stdout.write;
    delete process.stderr.write;
  }
  results.push({ status: process.exitCode ?? 0, stdout, stderr });
}
process.exitCode = 0;
out(JSON.stringify(results));
