export { startConsole } from './start-console.js';
export type { ConsoleOptions, ConsoleHandle } from './console-options.js';
export { buildOpenApi } from './openapi/build-openapi.js';
