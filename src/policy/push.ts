// A pushed ref as pre-push reports it, with the ancestry facts the push rules need.
export interface PushedRef {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
  isDelete: boolean;
  /** The remote's old SHA is present locally (or the ref is new). */
  remoteKnown?: boolean;
  /** remoteSha is an ancestor of localSha (or the ref is new). */
  fastForward?: boolean;
  /** localSha is reachable from the remote's integration (tracking ref or pushed alongside). */
  onIntegration?: boolean;
}
