/** The bits of `process`/`window` used for exit flushes, typed without DOM or Node libraries. */
interface EventTargetLike {
  addEventListener?(type: string, listener: () => void): void;
  removeEventListener?(type: string, listener: () => void): void;
  on?(event: string, listener: () => void): unknown;
  off?(event: string, listener: () => void): unknown;
}

/**
 * Best effort flush at exit: Node's `beforeExit` (once: it fires again after async work), a
 * browser's `pagehide` and `visibilitychange` to hidden (with fetch keepalive), and `online`.
 */
export function attachExitFlush(flush: () => Promise<unknown>): () => void {
  const scope = globalThis as unknown as { process?: EventTargetLike & { versions?: { node?: string } }; window?: EventTargetLike; document?: EventTargetLike & { visibilityState?: string } };
  const run = (): void => void flush().catch(() => undefined);
  const node = scope.process?.versions?.node !== undefined ? scope.process : undefined;
  if (node?.on && node.off) {
    let done = false;
    const onExit = (): void => {
      if (!done) run();
      done = true;
    };
    node.on('beforeExit', onExit);
    return () => node.off?.('beforeExit', onExit);
  }
  const { window: win, document: doc } = scope;
  if (!win?.addEventListener) return () => undefined;
  const onHidden = (): void => {
    if (doc?.visibilityState === 'hidden') run();
  };
  win.addEventListener('pagehide', run);
  win.addEventListener('online', run);
  doc?.addEventListener?.('visibilitychange', onHidden);
  return () => {
    win.removeEventListener?.('pagehide', run);
    win.removeEventListener?.('online', run);
    doc?.removeEventListener?.('visibilitychange', onHidden);
  };
}
