// lanes-hooks hub github|gitlab|forgejo: what a hosted forge needs so that it enforces what it can
// of the lanes policy. Each forge gets the CI job that runs `verify` (pinned to this exact
// version, installed from the registry: never the pushed tree's code), and its protection settings
// in the forge's own REST API JSON, ready for `curl --data @file` or `gh api --input file`.
// docs/hosting.md says, per forge, which rule each layer enforces and what none can.
import type { LanesConfig } from '../config/schema.js';

export interface HubFile {
  /** Relative to the repository's top level. */
  path: string;
  content: string;
  /** One line for the user: what it is and where it goes. */
  what: string;
}

export type Forge = 'github' | 'gitlab' | 'forgejo';
export const FORGES: readonly Forge[] = ['github', 'gitlab', 'forgejo'];

/** The check's name on every forge: the CI job's name. Rulesets and protections require it. */
export const CHECK_NAME = 'lanes-hooks verify';
/** GitHub Actions' app id: a required check restricted to it cannot be set by another app or a status API call. */
export const GITHUB_ACTIONS_APP_ID = 15368;

const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
/** A YAML double-quoted scalar (JSON's string syntax is YAML's). */
const q = (s: string) => JSON.stringify(s);

const installStep = (version: string, prefix: string) =>
  `npm install --prefix "${prefix}" --ignore-scripts --no-audit --no-fund lanes-hooks@${version}`;

function actionsWorkflow(
  config: LanesConfig,
  version: string,
  forge: 'github' | 'forgejo',
): string {
  const runsOn = forge === 'github' ? 'ubuntu-latest' : 'docker';
  const mergeGroup = forge === 'github' ? '  merge_group:\n' : '';
  return `# lanes-hooks verify: the hub's decision on every push${forge === 'github' ? ', pull request and merge-queue group' : ' and pull request'}.
# Written by \`lanes-hooks hub ${forge}\` (lanes-hooks ${version}); see docs/hosting.md.
#
# Nothing of the repository runs here: lanes-hooks comes from the registry at an exact version and
# only reads git objects, and the policy is read from ${config.integration}, never from the pushed tree.
# A pull request is judged by pull_request_target, whose workflow file is ${config.integration}'s own,
# so a branch cannot edit the check that judges it. A push event runs the workflow file of the
# pushed commit: for a lane's own branch that check is a report, not a gate (docs/hosting.md).
name: lanes-hooks
on:
  push:
  pull_request_target:
${mergeGroup}permissions:
  contents: read
jobs:
  verify:
    name: ${CHECK_NAME}
    runs-on: ${runsOn}
    steps:
      - name: the repository's history (fetched to read, never run)
        uses: actions/checkout@v4
        with:
          fetch-depth: 0
          ref: \${{ github.event.pull_request.head.sha || github.sha }}
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - name: lanes-hooks ${version} from the registry
        run: ${installStep(version, '$RUNNER_TEMP/lanes')}
      - name: verify
        run: '"$RUNNER_TEMP/lanes/node_modules/.bin/lanes-hooks" verify --integration ${config.integration}'
`;
}

/**
 * GitHub rulesets (REST: POST /repos/{owner}/{repo}/rulesets, "Create a repository ruleset").
 * Two for the governed branches, because bypass is per ruleset: the required check, no force push
 * and no deletion bind everyone, coordinators included; "update" (only bypass actors may push)
 * binds everyone but the coordinators. The coordinators are the repository role `admin` (id 5)
 * here: GitHub names bypass actors by role, team or app id, never by user name, so a team of the
 * coordinators (actor_type Team, its id) is the better choice where the repository has one.
 */
export function githubRulesets(config: LanesConfig): Record<string, unknown>[] {
  const governed = [`refs/heads/${config.integration}`, `refs/heads/${config.release}`];
  const coordinators = [{ actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' }];
  return [
    {
      name: 'lanes-hooks: integration and release need the verify check',
      target: 'branch',
      enforcement: 'active',
      bypass_actors: [],
      conditions: { ref_name: { include: governed, exclude: [] } },
      rules: [
        { type: 'deletion' },
        { type: 'non_fast_forward' },
        {
          type: 'required_status_checks',
          parameters: {
            strict_required_status_checks_policy: false,
            do_not_enforce_on_create: false,
            required_status_checks: [
              { context: CHECK_NAME, integration_id: GITHUB_ACTIONS_APP_ID },
            ],
          },
        },
      ],
    },
    {
      name: 'lanes-hooks: only the coordinators move integration and release',
      target: 'branch',
      enforcement: 'active',
      bypass_actors: coordinators,
      conditions: { ref_name: { include: governed, exclude: [] } },
      rules: [
        { type: 'update', parameters: { update_allows_fetch_and_merge: false } },
        { type: 'creation' },
      ],
    },
    {
      name: 'lanes-hooks: tags from the coordinators only',
      target: 'tag',
      enforcement: 'active',
      bypass_actors: coordinators,
      conditions: { ref_name: { include: ['~ALL'], exclude: [] } },
      rules: [{ type: 'creation' }, { type: 'update' }, { type: 'deletion' }],
    },
  ];
}

export function githubFiles(config: LanesConfig, version: string): HubFile[] {
  const slug = (name: string) =>
    name
      .replace(/^lanes-hooks: /, '')
      .replace(/[^a-z0-9]+/gi, '-')
      .replace(/-+$/, '');
  return [
    {
      path: '.github/workflows/lanes-verify.yml',
      content: actionsWorkflow(config, version, 'github'),
      what: 'the workflow: commit it on integration',
    },
    ...githubRulesets(config).map((r) => ({
      path: `.github/lanes-hooks/ruleset-${slug(String(r.name))}.json`,
      content: json(r),
      what: 'a ruleset: gh api -X POST repos/{owner}/{repo}/rulesets --input <file>',
    })),
  ];
}

/**
 * GitLab CI (the job's `rules` pick push and merge-request pipelines; "Predefined CI/CD
 * variables" carry the event) and the project settings as the REST API takes them:
 * POST /projects/:id/protected_branches, POST /projects/:id/protected_tags,
 * PUT /projects/:id/push_rule, PUT /projects/:id (pipelines must succeed for merge requests).
 * Access levels (docs "Protected branches API", "Valid access levels"): 0 no one, 30 developer,
 * 40 maintainer — the coordinators are the project's maintainers.
 */
export function gitlabSettings(config: LanesConfig) {
  const governed = (name: string) => ({
    name,
    push_access_level: 40,
    merge_access_level: 40,
    unprotect_access_level: 40,
    allow_force_push: false,
    code_owner_approval_required: false,
  });
  return {
    protected_branches: [governed(config.integration), governed(config.release)],
    protected_tags: [{ name: '*', create_access_level: 40 }],
    push_rule: { deny_delete_tag: true, member_check: true, prevent_secrets: true },
    project: {
      only_allow_merge_if_pipeline_succeeds: true,
      allow_merge_on_skipped_pipeline: false,
      merge_method: 'ff',
    },
  };
}

export function gitlabFiles(config: LanesConfig, version: string): HubFile[] {
  const ci = `# lanes-hooks verify on every push and merge request; written by \`lanes-hooks hub gitlab\`
# (lanes-hooks ${version}); see docs/hosting.md. Include it from .gitlab-ci.yml:
#   include: { local: .gitlab/lanes-hooks.yml }
# lanes-hooks comes from the registry at an exact version and only reads git objects; the policy
# is read from ${config.integration}, never from the pushed tree.
${q(CHECK_NAME)}:
  image: node:22
  variables:
    GIT_DEPTH: "0"
    GIT_STRATEGY: clone
  rules:
    - if: $CI_PIPELINE_SOURCE == "push"
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - ${installStep(version, '/tmp/lanes')}
    - /tmp/lanes/node_modules/.bin/lanes-hooks verify --integration ${config.integration}
`;
  const s = gitlabSettings(config);
  return [
    {
      path: '.gitlab/lanes-hooks.yml',
      content: ci,
      what: 'the CI job: include it from .gitlab-ci.yml',
    },
    ...s.protected_branches.map((b, i) => ({
      path: `.gitlab/lanes-hooks/protected-branch-${i + 1}.json`,
      content: json(b),
      what: `protect ${b.name}: POST /projects/:id/protected_branches`,
    })),
    {
      path: '.gitlab/lanes-hooks/protected-tags.json',
      content: json(s.protected_tags[0]),
      what: 'protect tags: POST /projects/:id/protected_tags',
    },
    {
      path: '.gitlab/lanes-hooks/push-rule.json',
      content: json(s.push_rule),
      what: 'push rules: PUT /projects/:id/push_rule',
    },
    {
      path: '.gitlab/lanes-hooks/project.json',
      content: json(s.project),
      what: 'merge requests need the pipeline, fast-forward only: PUT /projects/:id',
    },
  ];
}

/**
 * Forgejo (and Gitea) branch protection: POST /repos/{owner}/{repo}/branch_protections
 * (CreateBranchProtectionOption), tags: POST /repos/{owner}/{repo}/tag_protections. The status
 * check pattern is a glob (Forgejo names an Actions check "<workflow> / <job> (<event>)").
 */
export function forgejoSettings(config: LanesConfig) {
  const coordinators = config.server.coordinators;
  const governed = (rule_name: string) => ({
    rule_name,
    enable_push: true,
    enable_push_whitelist: true,
    push_whitelist_usernames: coordinators,
    push_whitelist_deploy_keys: false,
    enable_merge_whitelist: true,
    merge_whitelist_usernames: coordinators,
    enable_status_check: true,
    status_check_contexts: [`lanes-hooks / ${CHECK_NAME} *`],
    block_on_outdated_branch: true,
    apply_to_admins: true,
  });
  return {
    branch_protections: [governed(config.integration), governed(config.release)],
    tag_protections: [{ name_pattern: '*', whitelist_usernames: coordinators }],
  };
}

export function forgejoFiles(config: LanesConfig, version: string): HubFile[] {
  const s = forgejoSettings(config);
  return [
    {
      path: '.forgejo/workflows/lanes-verify.yml',
      content: actionsWorkflow(config, version, 'forgejo'),
      what: 'the workflow: commit it on integration',
    },
    ...s.branch_protections.map((b, i) => ({
      path: `.forgejo/lanes-hooks/branch-protection-${i + 1}.json`,
      content: json(b),
      what: `protect ${b.rule_name}: POST /api/v1/repos/{owner}/{repo}/branch_protections`,
    })),
    {
      path: '.forgejo/lanes-hooks/tag-protection.json',
      content: json(s.tag_protections[0]),
      what: 'protect tags: POST /api/v1/repos/{owner}/{repo}/tag_protections',
    },
  ];
}

export function forgeFiles(forge: Forge, config: LanesConfig, version: string): HubFile[] {
  return forge === 'github'
    ? githubFiles(config, version)
    : forge === 'gitlab'
      ? gitlabFiles(config, version)
      : forgejoFiles(config, version);
}
