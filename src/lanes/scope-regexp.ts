// A lane's scope as regular expressions, made by policy/scope.ts scopeRegExps when the policy is
// compiled, and matched with no glob library: agent-hook's light entry (agents/fast.ts) decides a
// write with this alone, since loading and running picomatch on every write costs more than the
// rest of the decision. A lane fact, below policy, so that the agents' layer may read it.

/** One glob of a scope as picomatch compiles it: `source` and `flags` of its regular expression. */
export interface ScopeRegExp {
  glob: string;
  source: string;
  flags: string;
}

/** The matcher of scopeRegExps' expressions: the same answers as globMatcher(the globs). */
export function scopeTest(res: readonly ScopeRegExp[]): (path: string) => boolean {
  const compiled = res.map((r) => ({ glob: r.glob, re: new RegExp(r.source, r.flags) }));
  return (p) => p !== '' && compiled.some((c) => p === c.glob || c.re.test(p));
}
