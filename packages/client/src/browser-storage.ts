import type { QueueStorage } from './queue-storage.js';
import type { QueuedReport } from './reports.js';

/** The part of the Web Storage API used here (window.localStorage fits). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The queue as one JSON array in localStorage (browsers; ~5 MB per origin, so keep maxQueue modest). */
export class LocalStorageQueueStorage implements QueueStorage {
  readonly #key: string;
  readonly #storage: KeyValueStorage;

  constructor(key = 'tally-queue', storage?: KeyValueStorage) {
    const found = storage ?? (globalThis as { localStorage?: KeyValueStorage }).localStorage;
    if (!found) throw new Error('localStorage is not available here; pass a storage.');
    this.#key = key;
    this.#storage = found;
  }

  async load(): Promise<QueuedReport[]> {
    try {
      const value: unknown = JSON.parse(this.#storage.getItem(this.#key) ?? '[]');
      return Array.isArray(value) ? (value as QueuedReport[]) : [];
    } catch {
      return [];
    }
  }

  async append(reports: readonly QueuedReport[]): Promise<void> {
    await this.replace([...(await this.load()), ...reports]);
  }

  async replace(reports: readonly QueuedReport[]): Promise<void> {
    this.#storage.setItem(this.#key, JSON.stringify(reports));
  }
}

/* Minimal IndexedDB shapes (no DOM library needed to build). */
interface IdbRequest<T> { result: T; error: unknown; onsuccess: (() => void) | null; onerror: (() => void) | null }
interface IdbOpenRequest extends IdbRequest<IdbDatabase> { onupgradeneeded: (() => void) | null }
interface IdbStore { get(key: string): IdbRequest<unknown>; put(value: unknown, key: string): IdbRequest<unknown> }
interface IdbTransaction { objectStore(name: string): IdbStore; oncomplete: (() => void) | null; onerror: (() => void) | null; error: unknown }
interface IdbDatabase { createObjectStore(name: string): unknown; transaction(name: string, mode: 'readonly' | 'readwrite'): IdbTransaction; objectStoreNames: { contains(name: string): boolean } }
interface IdbFactory { open(name: string, version?: number): IdbOpenRequest }

function done<T>(request: IdbRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** The queue in IndexedDB (browsers): one object store holding the queue under one key, written in one transaction. */
export class IndexedDbQueueStorage implements QueueStorage {
  static readonly STORE = 'queue';
  readonly #db: Promise<IdbDatabase>;
  readonly #key: string;

  constructor(databaseName = 'tally-client', key = 'reports', factory?: IdbFactory) {
    const found = factory ?? (globalThis as { indexedDB?: IdbFactory }).indexedDB;
    if (!found) throw new Error('IndexedDB is not available here; pass a factory.');
    this.#key = key;
    const request = found.open(databaseName, 1);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(IndexedDbQueueStorage.STORE)) request.result.createObjectStore(IndexedDbQueueStorage.STORE);
    };
    this.#db = done(request);
  }

  async load(): Promise<QueuedReport[]> {
    const db = await this.#db;
    const value = await done(db.transaction(IndexedDbQueueStorage.STORE, 'readonly').objectStore(IndexedDbQueueStorage.STORE).get(this.#key));
    return Array.isArray(value) ? (value as QueuedReport[]) : [];
  }

  async append(reports: readonly QueuedReport[]): Promise<void> {
    await this.replace([...(await this.load()), ...reports]);
  }

  async replace(reports: readonly QueuedReport[]): Promise<void> {
    const db = await this.#db;
    const transaction = db.transaction(IndexedDbQueueStorage.STORE, 'readwrite');
    transaction.objectStore(IndexedDbQueueStorage.STORE).put([...reports], this.#key);
    await new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
    });
  }
}
