// Every store under refs/lanes/: what sync shares and what doctor checks and repairs.
import { queueStore } from '../queue/model.js';
import { reviewStore } from '../reviews/model.js';
import { auditStore } from '../store/audit.js';
import type { SyncSpec } from '../store/sync.js';

export const ALL_STORES = [queueStore, auditStore, reviewStore] as SyncSpec<unknown, unknown>[];
