/** @tally/client for Node: everything of the main entry, plus the file-backed queue. */
export * from './index.js';
export { FileQueueStorage } from './file-queue.js';
