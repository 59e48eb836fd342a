/**
 * The operation being worked in, with the permissions the account holds in it. Desks ask
 * `can()` to decide what to show; the server checks again on every request.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { Permission } from '../../domain/policy.js';
import type { Operation } from '../api/types.js';

export interface OperationValue {
  operation: Operation;
  isSystemAdmin: boolean;
  can: (p: Permission) => boolean;
}

const OperationContext = createContext<OperationValue | null>(null);

export function OperationProvider({ value, children }: { value: OperationValue; children: ReactNode }) {
  return <OperationContext value={value}>{children}</OperationContext>;
}

export function useOperation(): OperationValue {
  const v = useContext(OperationContext);
  if (!v) throw new Error('useOperation outside OperationProvider');
  return v;
}
