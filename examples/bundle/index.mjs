// Example task bundle: the tasks of the Celery guide, written for Taskyard.
//
// A bundle is one plain ES module (no build step, no imports) so it can be mounted from a ConfigMap.
// The worker runtime puts `defineTask` on globalThis; outside the runtime (tests, editors) the
// fallback below returns the definition unchanged, which the runtime accepts as well.
const defineTask = globalThis.defineTask ?? ((definition) => definition);

/** An error the caller cannot fix by retrying (the payment gateway said no). */
class PaymentDeclined extends Error {
  name = 'PaymentDeclined';
}

/** An error that goes away by itself (the upstream API was busy). */
class TransientSyncError extends Error {
  name = 'TransientSyncError';
}

/**
 * send_email(to, subject, body) POSTs the message as JSON to an HTTP mail sink: kwargs.sinkUrl, else
 * the EMAIL_SINK_URL environment variable. A sink that is down (fetch throws TypeError) or answers
 * 5xx is retried with backoff; a 4xx is a bug in the request and fails at once.
 */
export const sendEmail = defineTask({
  name: 'send_email',
  options: { attempts: 3, autoretryFor: ['TypeError', 'MailSinkUnavailable'], backoff: { type: 'exponential', delay: 500, maxDelay: 5000 } },
  async handler(ctx, to, subject, body) {
    const sinkUrl = ctx.kwargs.sinkUrl ?? globalThis.process?.env?.EMAIL_SINK_URL;
    if (typeof sinkUrl !== 'string') {
      throw new Error('send_email: no mail sink: pass kwargs {"sinkUrl": "http://127.0.0.1:PORT/"} or set EMAIL_SINK_URL on the worker');
    }
    if (typeof to !== 'string' || !to.includes('@')) {
      throw new Error(`send_email: first argument "to" must be an e-mail address, got ${JSON.stringify(to)}`);
    }
    const res = await fetch(sinkUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-taskyard-task-id': ctx.id },
      body: JSON.stringify({ to, subject, body }),
      signal: ctx.signal,
    });
    if (res.status >= 500) {
      const err = new Error(`mail sink ${sinkUrl} answered ${res.status}`);
      err.name = 'MailSinkUnavailable';
      throw err;
    }
    if (!res.ok) throw new Error(`mail sink ${sinkUrl} rejected the message: ${res.status} ${await res.text()}`);
    ctx.logger.info('email sent', { to });
    return { sent: true, to, status: res.status };
  },
});

/**
 * process_image(imageId, {width, height, passes}) blurs a generated grey-scale image `passes` times
 * (CPU work) and reports progress after each pass. Returns the image's size and a checksum.
 */
export const processImage = defineTask({
  name: 'process_image',
  options: { timeLimit: { soft: 20_000, hard: 30_000 } },
  async handler(ctx, imageId, { width = 256, height = 256, passes = 8 } = {}) {
    let pixels = new Float64Array(width * height);
    for (let i = 0; i < pixels.length; i++) pixels[i] = ((i * 2654435761) % 256) / 255;
    for (let pass = 1; pass <= passes; pass++) {
      ctx.signal.throwIfAborted();
      const next = new Float64Array(pixels.length);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          let sum = 0;
          let n = 0;
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              const yy = y + dy;
              const xx = x + dx;
              if (yy >= 0 && yy < height && xx >= 0 && xx < width) {
                sum += pixels[yy * width + xx];
                n++;
              }
            }
          }
          next[y * width + x] = sum / n;
        }
      }
      pixels = next;
      ctx.progress({ percent: Math.round((pass / passes) * 100), pass, passes });
      // Yield between passes so revoke messages and the soft time limit are seen promptly.
      await new Promise((resolve) => setImmediate(resolve));
    }
    let checksum = 0;
    for (const p of pixels) checksum += p;
    return { imageId, width, height, passes, checksum: Math.round(checksum * 1000) / 1000 };
  },
});

/**
 * sync_data(source, {failures}) pulls records from a flaky upstream: the first `failures` attempts
 * (default 2) fail with TransientSyncError, which autoretryFor retries with exponential backoff;
 * the next attempt succeeds. Celery: @app.task(autoretry_for=(TransientSyncError,), retry_backoff=True).
 */
export const syncData = defineTask({
  name: 'sync_data',
  options: {
    attempts: 5,
    autoretryFor: ['TransientSyncError'],
    backoff: { type: 'exponential', delay: 200, maxDelay: 2000, jitter: true },
  },
  async handler(ctx, source) {
    const failures = Number(ctx.kwargs.failures ?? 2);
    if (ctx.attempt <= failures) {
      throw new TransientSyncError(`upstream ${source} busy (attempt ${ctx.attempt} of ${ctx.attempts})`);
    }
    return { source, records: 42, attempt: ctx.attempt };
  },
});

/**
 * process_payment(paymentId, amountCents, card) charges a card. Card "declined" raises PaymentDeclined,
 * a permanent error: it is not in autoretryFor, so the task fails at once and lands in the queue's
 * dead-letter queue `<queue>.dead` with its error, where an operator can look at it and replay it.
 */
export const processPayment = defineTask({
  name: 'process_payment',
  options: { attempts: 3, autoretryFor: ['GatewayTimeout'] },
  async handler(ctx, paymentId, amountCents, card) {
    if (!Number.isInteger(amountCents) || amountCents <= 0) {
      throw new PaymentDeclined(`payment ${paymentId}: amount ${JSON.stringify(amountCents)} must be a positive integer of cents`);
    }
    if (card === 'declined') throw new PaymentDeclined(`payment ${paymentId}: card declined by the issuer`);
    return { paymentId, amountCents, charged: true, receipt: `rcpt-${paymentId}` };
  },
});

/**
 * generate_report(results, title) is a chord callback: it receives the results of the chord's group,
 * in the group's order, as its first argument (e.g. a group of process_image tasks).
 */
export const generateReport = defineTask({
  name: 'generate_report',
  async handler(ctx, results, title = 'report') {
    if (!Array.isArray(results)) {
      throw new Error('generate_report: first argument must be the array of results (use it as a chord callback)');
    }
    return {
      title,
      count: results.length,
      items: results.map((r) => (r && typeof r === 'object' && 'imageId' in r ? r.imageId : r)),
      checksumTotal: results.reduce((sum, r) => sum + (typeof r?.checksum === 'number' ? r.checksum : 0), 0),
    };
  },
});
