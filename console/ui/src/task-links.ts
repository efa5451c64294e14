// Task ids are unique within a namespace: every link to a task and every task API call carries it.

/** The namespace of a queue written `ns/q` (undefined for `q`: the console's default namespace). */
export function namespaceOfQueue(queue: string | undefined): string | undefined {
  const slash = queue?.indexOf('/') ?? -1;
  return queue && slash > 0 ? queue.slice(0, slash) : undefined;
}

/** The dashboard route of a task. */
export function taskHref(id: string, namespace: string | undefined): string {
  return `#/task/${encodeURIComponent(id)}${namespace ? `?namespace=${encodeURIComponent(namespace)}` : ''}`;
}

/** The API path of a task, or of one of its actions (`/revoke`, `/retry`). */
export function taskApi(id: string, namespace: string | undefined, action = ''): string {
  return `/api/tasks/${encodeURIComponent(id)}${action}${namespace ? `?namespace=${encodeURIComponent(namespace)}` : ''}`;
}
