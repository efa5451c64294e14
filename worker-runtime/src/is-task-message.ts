import type { TaskMessage } from '@taskyard/api';

/** True when a job's data has the fields every Taskyard task message has (name, args array, kwargs object). */
export function isTaskMessage(data: unknown): data is TaskMessage {
  const d = data as Partial<TaskMessage> | undefined;
  return (
    typeof d === 'object' && d !== null && typeof d.name === 'string' && Array.isArray(d.args) &&
    typeof d.kwargs === 'object' && d.kwargs !== null && !Array.isArray(d.kwargs)
  );
}
