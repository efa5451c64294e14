import type { TaskError } from '@taskyard/api';
import { UnrecoverableError } from 'bullmq';

/** An error crossing the sandbox boundary (or made by the runtime), rebuilt as an Error. */
export function toError(data: TaskError): Error {
  const err = new Error(data.message);
  err.name = data.name;
  err.stack = data.stack ?? `${data.name}: ${data.message}`;
  return err;
}

/** Serialises any thrown value; the stack's first line always starts with the error's real name. */
export function serializeError(thrown: unknown): TaskError {
  if (thrown instanceof Error || (typeof thrown === 'object' && thrown !== null && 'message' in thrown)) {
    const e = thrown as Error;
    const name = typeof e.name === 'string' && e.name.length > 0 ? e.name : 'Error';
    const message = typeof e.message === 'string' ? e.message : String(e.message);
    const header = `${name}: ${message}`;
    const stack = typeof e.stack === 'string' ? e.stack : '';
    const frames = stack.indexOf('\n    at ');
    return { name, message, stack: frames >= 0 ? header + stack.slice(frames) : header };
  }
  const message = typeof thrown === 'string' ? thrown : safeString(thrown);
  return { name: 'Error', message, stack: `Error: ${message}` };
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A final failure BullMQ will not retry; the stack keeps the task's own error name first. */
export function unrecoverable(error: TaskError): UnrecoverableError {
  const err = new UnrecoverableError(error.message);
  err.stack = error.stack && error.stack.startsWith(error.name) ? error.stack : `${error.name}: ${error.message}${error.stack ? `\n${error.stack}` : ''}`;
  return err;
}
