/**
 * In-process notice that an operation's counters changed. Published inside the writing
 * transaction (before commit), so listeners do not read on the notice alone: they compare the
 * operation's count version (count_heads), which moves only when the change commits, and poll
 * it too, which also catches writes from other server processes on the same PostgreSQL.
 */
import { EventEmitter } from 'node:events';

const bus = new EventEmitter();
bus.setMaxListeners(0);

export function publishCountsChanged(operationId: string): void {
  bus.emit('changed', operationId);
}

export function onCountsChanged(listener: (operationId: string) => void): () => void {
  bus.on('changed', listener);
  return () => bus.off('changed', listener);
}
