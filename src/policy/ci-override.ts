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
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(until) ||
    Number.isNaN(Date.parse(`${until}T00:00:00Z`)) ||
    new Date(`${until}T00:00:00Z`).toISOString().slice(0, 10) !== until
  ) {
    return {
      state: 'invalid',
      problem: `LANES_OVERRIDE_UNTIL=${JSON.stringify(until)} is not a date (YYYY-MM-DD)`,
    };
  }
  if (until < today) return { state: 'invalid', problem: `the override expired on ${until}` };
  return { state: 'valid', reason: reason!, until };
}
