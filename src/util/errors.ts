// Exit codes of the contract (docs/reference.md, "Exit codes") and the error that carries one to
// the user.
export const EXIT = { ok: 0, refused: 1, usage: 2, conflict: 3 } as const;

/** An error meant for the user: printed as is, without a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}
