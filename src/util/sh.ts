// Quoting for the POSIX sh text lanes-hooks writes (hook shims, the compiled policy, batch scripts).

/** `s` as one single-quoted sh word, whatever bytes it holds (NUL aside). */
export const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
