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
// The type-check against the schemas (the TypeScript compiler over the schema packages, some six
// CPU-seconds) runs in the deep tier: test/deep/hub-forges.test.ts (issue 29). Here: what each
// document says, and GitLab's settings against the documented attributes.
import { describe, expect, it } from 'vitest';
import { configSchema, defaultConfigFile } from '../src/config/schema.js';
import { forgejoFiles, gitlabSettings, githubFiles, CHECK_NAME } from '../src/guard/forges.js';

const config = configSchema.parse({
  ...defaultConfigFile(),
  integration: 'main',
  server: { coordinators: ['coord', "o'brien"] },
});

describe('hub: the forge documents match their published schemas', () => {
  const gh = githubFiles(config, '1.2.3');
  const fj = forgejoFiles(config, '1.2.3');

  it('what each document says: the exact version, integration, the check every protection requires', () => {
    const workflow = gh.find((f) => f.path === '.github/workflows/lanes-verify.yml')!.content;
    expect(workflow).toContain('lanes-hooks@1.2.3');
    expect(workflow).toContain('verify --integration main');
    expect(workflow).toContain('pull_request_target:');
    expect(workflow).toContain('merge_group:');
    expect(workflow).not.toMatch(/npm (ci|test|run)/); // nothing of the pushed tree runs
    const rulesets = gh.filter((f) => f.path.endsWith('.json')).map((f) => JSON.parse(f.content));
    const required = rulesets.find((r) =>
      r.rules.some((x: { type: string }) => x.type === 'required_status_checks'),
    );
    expect(required.bypass_actors).toEqual([]); // the check binds the coordinators too
    expect(required.conditions.ref_name.include).toEqual([
      'refs/heads/main',
      'refs/heads/release/platform-control',
    ]);
    expect(JSON.stringify(required)).toContain(CHECK_NAME);
    expect(rulesets.some((r) => r.target === 'tag')).toBe(true);
    const protections = fj
      .filter((f) => f.path.includes('branch-protection'))
      .map((f) => JSON.parse(f.content));
    expect(protections.map((p) => p.rule_name)).toEqual(['main', 'release/platform-control']);
    for (const p of protections) {
      expect(p.push_whitelist_usernames).toEqual(['coord', "o'brien"]);
      expect(p.enable_status_check).toBe(true);
    }
  });

  it("GitLab's settings use only documented request attributes and access levels", () => {
    // docs.gitlab.com/api/protected_branches ("Protect repository branches"), /api/protected_tags,
    // /api/project_push_rules ("Edit project push rule"), /api/projects ("Edit a project").
    const documented = {
      protected_branches: [
        'name',
        'push_access_level',
        'merge_access_level',
        'unprotect_access_level',
        'allow_force_push',
        'allowed_to_push',
        'allowed_to_merge',
        'allowed_to_unprotect',
        'code_owner_approval_required',
      ],
      protected_tags: ['name', 'create_access_level', 'allowed_to_create'],
      push_rule: [
        'author_email_regex',
        'branch_name_regex',
        'commit_committer_check',
        'commit_committer_name_check',
        'commit_message_negative_regex',
        'commit_message_regex',
        'deny_delete_tag',
        'file_name_regex',
        'max_file_size',
        'member_check',
        'prevent_secrets',
        'reject_unsigned_commits',
        'reject_non_dco_commits',
      ],
      project: [
        'only_allow_merge_if_pipeline_succeeds',
        'allow_merge_on_skipped_pipeline',
        'merge_method',
      ],
    };
    const levels = [0, 30, 40, 60];
    const s = gitlabSettings(config);
    for (const b of s.protected_branches) {
      expect(Object.keys(b).filter((k) => !documented.protected_branches.includes(k))).toEqual([]);
      for (const k of [
        'push_access_level',
        'merge_access_level',
        'unprotect_access_level',
      ] as const)
        expect(levels).toContain(b[k]);
    }
    for (const t of s.protected_tags)
      expect(Object.keys(t).filter((k) => !documented.protected_tags.includes(k))).toEqual([]);
    expect(Object.keys(s.push_rule).filter((k) => !documented.push_rule.includes(k))).toEqual([]);
    expect(Object.keys(s.project).filter((k) => !documented.project.includes(k))).toEqual([]);
    expect(['merge', 'rebase_merge', 'ff']).toContain(s.project.merge_method);
  });
});
