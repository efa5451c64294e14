// The benchmark's task bundle: one no-op task. Given an enqueue time (ms since the epoch, with
// sub-ms precision), it returns its enqueue->start delay, measured when the handler starts.
export default [
  {
    name: 'noop',
    handler(_ctx, enqueuedAt) {
      const started = performance.timeOrigin + performance.now();
      return typeof enqueuedAt === 'number' ? started - enqueuedAt : null;
    },
  },
];
