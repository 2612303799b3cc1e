// Object names as git writes them in hook input: all zeros means "none" (a new or deleted ref).
export const ZERO_SHA = '0000000000000000000000000000000000000000';
export const isZeroSha = (sha: string): boolean => /^0+$/.test(sha);
