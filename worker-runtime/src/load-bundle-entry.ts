import { RuntimeEnv } from '@taskyard/api';
import { BundleError } from './bundle-error.js';
import { fetchBundle } from './fetch-bundle.js';
import type { JsonLogger } from './json-logger.js';
import { resolveBundleEntry } from './resolve-bundle-entry.js';
import type { WorkerOptions } from './worker-options.js';

/** The bundle's entry file: the path given, or the URL's download once its sha256 matched. */
export async function loadBundleEntry(options: Pick<WorkerOptions, 'bundlePath' | 'bundleUrl' | 'bundleSha256'>, logger: JsonLogger): Promise<string> {
  const { bundlePath, bundleUrl, bundleSha256 } = options;
  if ((bundlePath === undefined) === (bundleUrl === undefined)) {
    throw new BundleError(
      bundlePath ?? bundleUrl ?? '(none)',
      `give exactly one bundle source: a path (${RuntimeEnv.bundlePath} / --bundle) or a URL (${RuntimeEnv.bundleUrl} / --bundle-url with ${RuntimeEnv.bundleSha256})`,
    );
  }
  if (bundleUrl !== undefined) {
    if (!bundleSha256) throw new BundleError(bundleUrl, `a bundle URL needs its sha256 (${RuntimeEnv.bundleSha256} / --bundle-sha256); it is checked before any code runs`);
    const file = await fetchBundle(bundleUrl, bundleSha256);
    logger.info('bundle downloaded and verified', { url: bundleUrl, sha256: bundleSha256 });
    return file;
  }
  return resolveBundleEntry(bundlePath as string);
}
