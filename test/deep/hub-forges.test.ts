// lanes-hooks hub github|gitlab|forgejo: each document is checked against the forge's published
// schema, through the types generated from it (the TypeScript compiler's excess-property and
// literal checks on each document as an object literal):
// - GitHub rulesets: @octokit/openapi-types, from GitHub's OpenAPI description (the request body of
//   POST /repos/{owner}/{repo}/rulesets);
// - GitHub and Forgejo workflows: @schemastore/github-workflow, SchemaStore's workflow schema;
// - GitLab CI: @schemastore/gitlab-ci, SchemaStore's .gitlab-ci.yml schema;
// - Forgejo protections: forgejo-js, generated from Forgejo's swagger (CreateBranchProtectionOption,
//   CreateTagProtectionOption).
// GitLab's project settings have no published schema package: their fields are checked against the
// documented request attributes (Protected branches, Protected tags, Push rules, Projects APIs).
//
// Deep tier (issue 29): the type-check of every document against the schema packages costs some
// six CPU-seconds of the TypeScript compiler; what each document says, and GitLab's settings
// against the documented attributes, stay in the fast tier (test/hub-forges.test.ts).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defaultConfigFile } from '../../src/config/schema.js';
import { configSchema } from '../../src/config/schema.js';
import { forgejoFiles, gitlabFiles, githubFiles } from '../../src/guard/forges.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const config = configSchema.parse({
  ...defaultConfigFile(),
  integration: 'main',
  server: { coordinators: ['coord', "o'brien"] },
});

/** Type-check `docs` (name -> [type expression, value]) in one program; the diagnostics per name. */
function typeCheck(
  imports: string,
  docs: Record<string, [string, unknown]>,
): Record<string, string[]> {
  mkdirSync(path.join(ROOT, 'test-artifacts'), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, 'test-artifacts', 'forge-types-'));
  const files: Record<string, string> = {};
  for (const [name, [type, value]] of Object.entries(docs)) {
    const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '_')}.ts`);
    writeFileSync(
      file,
      `${imports}\nexport const doc: ${type} = ${JSON.stringify(value, null, 2)};\n`,
    );
    files[name] = file;
  }
  const program = ts.createProgram(Object.values(files), {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
  });
  const out: Record<string, string[]> = {};
  for (const [name, file] of Object.entries(files))
    out[name] = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(file))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return out;
}

const RULESET = `operations['repos/create-repo-ruleset']['requestBody']['content']['application/json']`;
const IMPORTS = [
  `import type { operations } from '@octokit/openapi-types';`,
  `import type { HttpsJsonSchemastoreOrgGithubWorkflowJson as Workflow } from '@schemastore/github-workflow';`,
  `import type { GitlabCIConfiguration } from '@schemastore/gitlab-ci';`,
  `import type { CreateBranchProtectionOption, CreateTagProtectionOption } from 'forgejo-js';`,
].join('\n');

describe('hub: the forge documents match their published schemas', () => {
  const gh = githubFiles(config, '1.2.3');
  const gl = gitlabFiles(config, '1.2.3');
  const fj = forgejoFiles(config, '1.2.3');
  const docs: Record<string, [string, unknown]> = {};
  for (const f of gh)
    docs[`github ${f.path}`] = f.path.endsWith('.yml')
      ? ['Workflow', parseYaml(f.content)]
      : [RULESET, JSON.parse(f.content)];
  docs['gitlab ci'] = [
    'GitlabCIConfiguration',
    parseYaml(gl.find((f) => f.path.endsWith('.yml'))!.content),
  ];
  for (const f of fj)
    docs[`forgejo ${f.path}`] = f.path.endsWith('.yml')
      ? ['Workflow', parseYaml(f.content)]
      : f.path.includes('tag-protection')
        ? ['CreateTagProtectionOption', JSON.parse(f.content)]
        : ['CreateBranchProtectionOption', JSON.parse(f.content)];
  // Controls: a document the schema refuses must be refused, or the check proves nothing.
  docs['control: ruleset with an unknown rule'] = [
    RULESET,
    { name: 'x', enforcement: 'active', rules: [{ type: 'no_such_rule' }] },
  ];
  docs['control: workflow job without runs-on'] = [
    'Workflow',
    { on: 'push', jobs: { j: { steps: [{ run: 'x' }] } } },
  ];
  docs['control: branch protection with a typo'] = [
    'CreateBranchProtectionOption',
    { rule_name: 'main', enable_pushh: true },
  ];
  docs['control: gitlab job with a bad key'] = [
    'GitlabCIConfiguration',
    { job: { script: ['x'], when: 'sometimes' } },
  ];
  const result = typeCheck(IMPORTS, docs);

  for (const name of Object.keys(docs))
    it(name, () => {
      if (name.startsWith('control:')) expect(result[name]!.length, name).toBeGreaterThan(0);
      else expect(result[name], name).toEqual([]);
    });
});
