// The hub's store replay lives in the store layer (store/updates.ts): a lane's reference-transaction
// runs the same validator on its local store moves, and hooks may not import the guard layer.
export { checkStoreUpdate, type Authorize, type StoreVerdict } from '../store/updates.js';
