// In CI (guard), an override needs a reason and an expiry date not in the past (docs/reference.md,
// "Overrides"): a forgotten override expires by itself.

export type CiOverride =
  | { state: 'none' }
  | { state: 'valid'; reason: string; until: string }
  | { state: 'invalid'; problem: string };

/** `today` is YYYY-MM-DD (UTC) so the decision is pure. */
export function ciOverride(env: NodeJS.ProcessEnv, today: string): CiOverride {
  const reason = env.LANES_OVERRIDE;
  const until = env.LANES_OVERRIDE_UNTIL;
  const hasReason = !!reason && reason.trim() !== '';
  if (!hasReason && !until) return { state: 'none' };
  if (!hasReason)
    return {
      state: 'invalid',
      problem: 'LANES_OVERRIDE_UNTIL is set but LANES_OVERRIDE (the reason) is empty',
    };
  if (!until)
    return {
      state: 'invalid',
      problem: 'in CI an override also needs LANES_OVERRIDE_UNTIL=<YYYY-MM-DD>',
    };
  if (!isDate(until))
    return {
      state: 'invalid',
      problem: `LANES_OVERRIDE_UNTIL=${JSON.stringify(until)} is not a date (YYYY-MM-DD)`,
    };
  if (until < today) return { state: 'invalid', problem: `the override expired on ${until}` };
  return { state: 'valid', reason: reason!, until };
}

const isDate = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

/** The hub's own override: keys of the hub repository's own config file (lanes.override…). */
export interface HubOverrideKeys {
  override?: string;
  overrideUntil?: string;
  overrideRef?: string;
}

export type HubOverride =
  | { state: 'none' }
  | { state: 'valid'; reason: string; until: string; ref: string | null }
  | { state: 'invalid'; problem: string };

/**
 * An override on the hub (guard pre-receive) comes from the hub's configuration, never from the
 * pusher's environment: `lanes.override` (the reason), `lanes.overrideUntil` (mandatory, not in the
 * past) and optionally `lanes.overrideRef`, which limits it to a push that updates that ref alone.
 */
export function hubOverride(keys: HubOverrideKeys, today: string, refs: string[]): HubOverride {
  const reason = keys.override?.trim() ? keys.override : undefined;
  const { overrideUntil: until, overrideRef: ref } = keys;
  if (!reason && !until && !ref) return { state: 'none' };
  if (!reason)
    return { state: 'invalid', problem: 'lanes.override (the reason) is empty in the hub config' };
  if (!until)
    return {
      state: 'invalid',
      problem:
        'lanes.overrideUntil=<YYYY-MM-DD> is missing in the hub config (an override expires)',
    };
  if (!isDate(until))
    return {
      state: 'invalid',
      problem: `lanes.overrideUntil=${JSON.stringify(until)} is not a date (YYYY-MM-DD)`,
    };
  if (until < today) return { state: 'invalid', problem: `the hub override expired on ${until}` };
  if (ref !== undefined && !refs.every((r) => r === ref))
    return {
      state: 'invalid',
      problem: `the hub override holds only for a push of ${ref} alone (lanes.overrideRef); this push updates ${refs.join(', ')}`,
    };
  return { state: 'valid', reason, until, ref: ref ?? null };
}
