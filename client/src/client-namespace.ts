import { DEFAULT_NAMESPACE, invalidNameReason } from '@taskyard/api/wire';

/**
 * The namespace a client works in: the option, else $TASKYARD_NAMESPACE (set by the operator on
 * worker and beat pods), else $POD_NAMESPACE, else `default`. Throws a TypeError naming a bad one.
 */
export function clientNamespace(given: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const namespace = given ?? (env.TASKYARD_NAMESPACE || env.POD_NAMESPACE || DEFAULT_NAMESPACE);
  const bad = invalidNameReason('namespace', namespace);
  if (bad) throw new TypeError(`${given !== undefined ? 'option namespace' : 'TASKYARD_NAMESPACE / POD_NAMESPACE'}: ${bad}`);
  return namespace;
}
